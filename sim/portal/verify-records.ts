/**
 * What the Myna Portal page decides about what the server sent (issue 12 items 5 and 6; DESIGN §5:
 * "the person trusts no server's word"): for each record, that the signed tree head it is proved
 * against carries the log's Ed25519 signature (tree-head.ts), that the leaf hash the page computes
 * from the record's bytes is included in that head's tree (RFC 9162 §2.1.3.2, merkle-verify.ts), and
 * that the bytes decode as a provision record (sim/network/provision-record.ts, strict); for the log,
 * that the current head is signed, and that it extends the last head this browser saw (RFC 9162
 * §2.1.4.2 consistency) — so a log that forked or shrank since the last visit is caught. A record
 * removed by the 7-year retention has no bytes: its leaf hash is checked and it is shown as removed.
 * Browser-safe (no node:*); portal/main.ts renders the results, the tests call it in node.
 * @module
 */
import { decodeRecord, type ProvisionRecord } from "../network/provision-record.js";
import { leafHash, verifyConsistency, verifyInclusion, type VerifyResult } from "./merkle-verify.js";
import { encodeTreeHead, verifyTreeHead, type SignedTreeHead } from "./tree-head.js";
import { toBase64, type WireRecord } from "./wire.js";

/** One record's verdict. */
export interface RecordCheck {
  readonly index: number;
  readonly ok: boolean;
  /** Why it failed (empty when ok). */
  readonly reason: string;
  /** The record as decoded from the verified bytes (null: removed by retention, or undecodable). */
  readonly record: ProvisionRecord | null;
  /** True when the record's bytes were removed by retention (only its leaf hash remains). */
  readonly removed: boolean;
}

/** The last head a browser accepted (kept in localStorage). */
export interface SeenHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

const fail = (
  index: number,
  reason: string,
  record: ProvisionRecord | null,
  removed: boolean,
): RecordCheck => ({
  index,
  ok: false,
  reason,
  record,
  removed,
});

/**
 * Memo of head signatures already checked: every record of a page is proved against the same head,
 * and Ed25519 in JS costs milliseconds, so each distinct (head, signature) is verified once.
 */
export type HeadMemo = Map<string, boolean>;

function headSigned(head: SignedTreeHead, publicKey: Uint8Array, memo: HeadMemo | undefined): boolean {
  if (memo === undefined) return verifyTreeHead(head, publicKey);
  let key: string;
  try {
    key = `${toBase64(publicKey)}|${toBase64(encodeTreeHead(head))}|${toBase64(head.signature)}`;
  } catch {
    return false;
  }
  let ok = memo.get(key);
  if (ok === undefined) {
    ok = verifyTreeHead(head, publicKey);
    memo.set(key, ok);
  }
  return ok;
}

/**
 * Checks one record against its head and the log's `publicKey` (32 raw bytes); `memo` spares
 * re-verifying a head's signature already checked. Never throws.
 */
export function checkRecord(r: WireRecord, publicKey: Uint8Array, memo?: HeadMemo): RecordCheck {
  const removed = r.bytes === null;
  let record: ProvisionRecord | null = null;
  let decodeProblem = "";
  if (r.bytes !== null) {
    try {
      record = decodeRecord(r.bytes);
    } catch (e) {
      decodeProblem = (e as Error).message;
    }
  }
  if (!headSigned(r.head, publicKey, memo))
    return fail(r.index, "the tree head is not signed by the log's key", record, removed);
  const leaf = r.bytes === null ? r.leafHash : leafHash(r.bytes);
  const inc: VerifyResult = verifyInclusion(leaf, r.index, r.head.size, r.proof, r.head.rootHash);
  if (!inc.ok)
    return fail(
      r.index,
      r.bytes === null
        ? inc.reason
        : `the record's bytes are not the ones the log holds at ${r.index}: ${inc.reason}`,
      record,
      removed,
    );
  if (decodeProblem !== "")
    return fail(r.index, `the record does not decode: ${decodeProblem}`, null, removed);
  return { index: r.index, ok: true, reason: "", record, removed };
}

/**
 * Checks the current head's signature and its consistency with `seen` (null on a first visit).
 * `proof` is the server's consistency proof from `seen.size` to `head.size` (ignored when no head
 * was seen). Never throws.
 */
export function checkHead(
  head: SignedTreeHead,
  publicKey: Uint8Array,
  seen: SeenHead | null,
  proof: readonly Uint8Array[] | null,
): VerifyResult {
  if (!verifyTreeHead(head, publicKey))
    return { ok: false, reason: "the current tree head is not signed by the log's key" };
  if (seen === null) return { ok: true };
  if (seen.size > head.size)
    return {
      ok: false,
      reason: `the log shrank: this browser saw ${seen.size} records, the head says ${head.size}`,
    };
  if (proof === null) return { ok: false, reason: "no consistency proof from the last head seen" };
  const c = verifyConsistency(seen.size, head.size, proof, seen.rootHash, head.rootHash);
  return c.ok ? c : { ok: false, reason: `the log is not an extension of the one seen before: ${c.reason}` };
}
