/**
 * An in-memory {@link PortalRecordSource} over sim/network/record-log.ts `RecordLog` (issue 12 item 6):
 * what the Myna Portal reads, without the hub's lmdb store — for the portal's tests and for
 * `serve` runs that want no hub directory. It plays the core's part as the hub does (contract in
 * sim/network/hub/portal-source.ts): each exchange appends both sides' provision records, each side
 * with its own institution-specific code for the person (sim/network/institution-codes.ts
 * `CodeCore`), and indexes both under the person's code at the `portal` institution. The person's
 * internal link id is derived here from the My Number with a keyed hash (the core's secret), so the
 * number itself is never stored or written into a record.
 * @module
 */
import { createHmac, randomBytes } from "node:crypto";
import { CodeCore, type InstitutionCode } from "../network/institution-codes.js";
import { PORTAL_INSTITUTION, type PortalRecordSource } from "../network/hub/portal-source.js";
import { ProofRequestError } from "../network/network-errors.js";
import { RecordLog, type RecordWithProof } from "../network/record-log.js";
import type { TreeHeadSigner } from "../network/signed-tree-head.js";
import type { SignedTreeHead } from "./tree-head.js";

/** One exchange to record, as the hub would after checking it. */
export interface MemoryExchange {
  readonly exchangeId: string;
  readonly requester: string;
  readonly provider: string;
  readonly procedure: string;
  readonly dataItems: readonly string[];
  readonly requestedAt: number;
  readonly providedAt: number | null;
}

/** In-memory provision records with the portal index. */
export class MemoryPortalSource implements PortalRecordSource {
  readonly log: RecordLog;
  readonly #codes: CodeCore;
  readonly #linkKey: Buffer;
  readonly #index = new Map<InstitutionCode, number[]>();
  readonly #now: () => number;
  #head: SignedTreeHead | undefined;

  /**
   * @param signer the log's tree-head signer (its public key is what the page pins)
   * @param institutions ids that may appear as requester or provider
   * @param now clock for head timestamps (epoch ms)
   */
  constructor(
    signer: TreeHeadSigner,
    institutions: Iterable<string>,
    now: () => number = Date.now,
    coreKey: Uint8Array = randomBytes(32),
  ) {
    this.log = new RecordLog(signer);
    this.#codes = new CodeCore(coreKey, [PORTAL_INSTITUTION, ...institutions]);
    this.#linkKey = Buffer.from(coreKey);
    this.#now = now;
  }

  #linkOf(myNumber: string): string {
    return createHmac("sha256", this.#linkKey)
      .update("myna-twin/link/v1\u0000")
      .update(myNumber)
      .digest("hex");
  }

  portalCodeOf(myNumber: string): InstitutionCode {
    return this.#codes.issueCode(PORTAL_INSTITUTION, this.#linkOf(myNumber));
  }

  /** Records one exchange about the person `myNumber`: both sides' records, indexed for the portal. */
  record(myNumber: string, x: MemoryExchange): { requester: number; provider: number } {
    const link = this.#linkOf(myNumber);
    const base = {
      exchangeId: x.exchangeId,
      requester: x.requester,
      provider: x.provider,
      procedure: x.procedure,
      dataItems: x.dataItems,
      requestedAt: x.requestedAt,
      providedAt: x.providedAt,
    };
    const requester = this.log.append({
      ...base,
      side: "requester",
      personCode: this.#codes.issueCode(x.requester, link),
    });
    const provider = this.log.append({
      ...base,
      side: "provider",
      personCode: this.#codes.issueCode(x.provider, link),
    });
    const code = this.portalCodeOf(myNumber);
    const list = this.#index.get(code) ?? [];
    list.push(requester, provider);
    this.#index.set(code, list);
    this.#head = undefined;
    return { requester, provider };
  }

  indicesFor(portalCode: InstitutionCode): readonly number[] {
    return this.#index.get(portalCode) ?? [];
  }

  head(): SignedTreeHead {
    if (this.#head === undefined || this.#head.size !== this.log.size)
      this.#head = this.log.signHead(this.#now());
    return this.#head;
  }

  recordWithProof(index: number): RecordWithProof {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.log.size)
      throw new ProofRequestError(`record index: expected an integer in [0, ${this.log.size}), got ${index}`);
    return this.log.withProof(index, this.head());
  }

  consistency(from: number, to: number): Uint8Array[] {
    const size = this.log.size;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to || to > size)
      throw new ProofRequestError(
        `consistency: expected 0 <= from <= to <= ${size} (the current size), got from=${from} to=${to}`,
      );
    const at = (n: number): SignedTreeHead => ({
      size: n,
      timestamp: 0,
      rootHash: new Uint8Array(32),
      signature: new Uint8Array(64),
    });
    return this.log.consistency(at(from), at(to));
  }
}
