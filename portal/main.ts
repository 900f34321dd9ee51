/**
 * The Myna Portal page (issue 12 item 6; DESIGN §5 network/, portal/): reads the session token from
 * the URL fragment (`#session=TOKEN`, put there by `myna-twin portal login`; kept in sessionStorage so
 * a reload stays logged in), fetches the person's provision records with their proofs
 * (`GET /v1/portal/records`, all pages), and checks in the browser (sim/portal/verify-records.ts:
 * @noble/curves Ed25519 for the signed tree head, @noble/hashes SHA-256 for the RFC 9162 inclusion
 * and consistency proofs) every record's inclusion, the head's signature, and that the log extends
 * the last head this browser accepted (localStorage, per log key). The log's key is pinned on first
 * use: a different key later fails every check. Each record is shown with a pass/fail mark; rows
 * carry `data-index` and `data-verified` and the summary `data-state`, which the Chromium test reads.
 * @module
 */
import type { ProvisionRecord } from "../sim/network/provision-record.js";
import { bytesEqual } from "../sim/portal/merkle-verify.js";
import type { SignedTreeHead } from "../sim/portal/tree-head.js";
import { checkHead, checkRecord, type RecordCheck, type SeenHead } from "../sim/portal/verify-records.js";
import {
  consistencyFromJson,
  fromBase64,
  recordsFromJson,
  toBase64,
  type WireRecord,
} from "../sim/portal/wire.js";

const TOKEN_KEY = "myna-portal/session";
const KEY_PIN = "myna-portal/log-key";
const seenKey = (publicKey: Uint8Array) => `myna-portal/last-head/${toBase64(publicKey)}`;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page element #${id} is missing`);
  return el;
}

function setState(el: HTMLElement, state: "pass" | "fail" | "loading", text: string): void {
  el.dataset.state = state;
  el.textContent = text;
}

function sessionToken(): string | null {
  const m = /(?:^#|&)session=([A-Za-z0-9_-]{43})(?:&|$)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    // the token leaves the address bar (and the history), not the tab's session
    history.replaceState(null, "", location.pathname);
    return m[1]!;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function getJson(path: string, token: string): Promise<unknown> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: "no-store" });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const o = (body ?? {}) as { error?: unknown; message?: unknown };
    throw new Error(
      `${path.split("?")[0]}: HTTP ${res.status} ${String(o.error ?? "")}: ${String(o.message ?? "")}`,
    );
  }
  return body;
}

function loadSeen(publicKey: Uint8Array): SeenHead | null {
  try {
    const raw = localStorage.getItem(seenKey(publicKey));
    if (!raw) return null;
    const v = JSON.parse(raw) as { size?: unknown; rootHash?: unknown };
    const rootHash = fromBase64(v.rootHash, "last head rootHash", 32);
    if (typeof v.size !== "number" || !Number.isSafeInteger(v.size) || v.size < 0 || rootHash.length !== 32)
      return null;
    return { size: v.size, rootHash };
  } catch {
    return null;
  }
}

function saveSeen(publicKey: Uint8Array, head: SignedTreeHead): void {
  localStorage.setItem(
    seenKey(publicKey),
    JSON.stringify({ size: head.size, rootHash: toBase64(head.rootHash), timestamp: head.timestamp }),
  );
}

const when = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? "—"
    : new Date(ms)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC");

function cell(tr: HTMLTableRowElement, text: string, className?: string): HTMLTableCellElement {
  const td = tr.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(body: HTMLTableSectionElement, check: RecordCheck): void {
  const tr = body.insertRow();
  tr.className = "record";
  tr.dataset.index = String(check.index);
  tr.dataset.verified = check.ok ? "pass" : "fail";
  const mark = cell(tr, check.ok ? "✓ verified" : "✗ FAILED", "mark");
  mark.dataset.state = check.ok ? "pass" : "fail";
  if (!check.ok) {
    const why = document.createElement("span");
    why.className = "reason";
    why.textContent = check.reason;
    mark.append(why);
  }
  cell(tr, String(check.index));
  const r: ProvisionRecord | null = check.record;
  if (r === null) {
    const td = cell(
      tr,
      check.removed ? "removed by the 7-year retention (its leaf hash is still proved)" : "unreadable",
    );
    td.colSpan = 7;
    return;
  }
  cell(tr, r.side === "requester" ? "requester" : "provider");
  cell(tr, r.requester);
  cell(tr, r.provider);
  cell(tr, r.procedure);
  cell(tr, r.dataItems.join(", "));
  cell(tr, when(r.requestedAt));
  cell(tr, when(r.providedAt));
}

async function run(): Promise<void> {
  const app = $("app");
  const summary = $("summary");
  const headStatus = $("head-status");
  const consStatus = $("consistency-status");
  const token = sessionToken();
  if (token === null) {
    setState(
      summary,
      "fail",
      "Not logged in: run myna-twin portal login --card FILE --pin PIN --url URL and open the URL it prints.",
    );
    return;
  }
  const records: WireRecord[] = [];
  let first: ReturnType<typeof recordsFromJson> | undefined;
  let offset: number | null = 0;
  while (offset !== null) {
    const page = recordsFromJson(await getJson(`/v1/portal/records?offset=${offset}&limit=500`, token));
    first ??= page;
    if (!bytesEqual(page.publicKey, first.publicKey)) throw new Error("the log's key changed between pages");
    records.push(...page.records);
    if (page.next !== null && page.next <= offset) throw new Error("the server's paging does not advance");
    offset = page.next;
  }
  const { head, publicKey } = first!;
  const pinned = localStorage.getItem(KEY_PIN);
  if (pinned === null) localStorage.setItem(KEY_PIN, toBase64(publicKey));
  const keyOk = pinned === null || pinned === toBase64(publicKey);

  const seen = loadSeen(publicKey);
  let proof: Uint8Array[] | null = null;
  if (seen !== null && seen.size <= head.size && seen.size > 0) {
    const c = consistencyFromJson(
      await getJson(`/v1/portal/consistency?from=${seen.size}&to=${head.size}`, token),
    );
    if (c.from === seen.size && c.to === head.size) proof = c.proof;
  } else if (seen !== null) proof = [];
  const headCheck = keyOk
    ? checkHead(head, publicKey, seen, proof)
    : { ok: false as const, reason: `the log's key is not the one this browser pinned (${pinned})` };
  if (headCheck.ok) {
    setState(
      headStatus,
      "pass",
      `✓ ${head.size} records, signed ${when(head.timestamp)}, Ed25519 signature verified`,
    );
    setState(
      consStatus,
      "pass",
      seen === null
        ? "✓ first visit: this head is now remembered"
        : seen.size === head.size
          ? `✓ unchanged since your last visit (${head.size} records, same root)`
          : `✓ the log grew from ${seen.size} to ${head.size} records without changing any`,
    );
    saveSeen(publicKey, head);
  } else {
    setState(headStatus, verifyOnlySignature(head, publicKey, keyOk) ? "pass" : "fail", headCheck.reason);
    setState(consStatus, "fail", `✗ ${headCheck.reason}`);
  }

  const body = ($("records") as HTMLTableElement).tBodies[0]!;
  body.textContent = "";
  const memo = new Map<string, boolean>();
  const checks = records.map((r) =>
    keyOk
      ? checkRecord(r, publicKey, memo)
      : {
          index: r.index,
          ok: false,
          reason: "the log's key is not the pinned one",
          record: null,
          removed: false,
        },
  );
  for (const c of checks) row(body, c);
  const failed = checks.filter((c) => !c.ok).length;
  const allOk = failed === 0 && headCheck.ok;
  setState(
    summary,
    allOk ? "pass" : "fail",
    allOk
      ? `All ${checks.length} of your records verified against the signed log.`
      : `${failed} of ${checks.length} records FAILED verification${headCheck.ok ? "" : "; the log's head failed too"}.`,
  );
  summary.dataset.records = String(checks.length);
  summary.dataset.failed = String(failed);
  app.setAttribute("aria-busy", "false");
}

function verifyOnlySignature(head: SignedTreeHead, publicKey: Uint8Array, keyOk: boolean): boolean {
  return keyOk && checkHead(head, publicKey, null, null).ok;
}

run().catch((e: unknown) => {
  setState($("summary"), "fail", `Could not load your records: ${(e as Error).message}`);
  $("app").setAttribute("aria-busy", "false");
});
