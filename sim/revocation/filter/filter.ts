/**
 * Query side of the CRLite/Clubcard-style revocation filter (ANCHORS.md §2.2; clubcard's split of
 * builder and query): a parsed filter file answers, for any certificate key of the universe it was
 * built over, exactly whether its target bit is set (revoked, or for a delta: "the answer flips").
 * Two levels per block: level 1 is an r-bit Ribbon fingerprint filter of the targets; keys passing
 * it reach level 2, a 1-bit Ribbon retrieval table built over exactly the universe keys that pass.
 * A {@link FilterChain} applies daily deltas to a full filter (answer = XOR of all levels' answers).
 * Keys outside the universe get an arbitrary answer (like clubcard's "not in universe", which needs
 * the universe itself to detect).
 * @module
 */
import { FilterError } from "./errors.js";
import type { FilterBody, FilterHeader } from "./format.js";
import { decodeFilter, etagOf } from "./format.js";
import { blockOf, equationOf } from "./hash.js";
import { evaluate } from "./ribbon.js";

/** Anything that answers revocation for a key: a filter or a chain of them. */
export interface FilterLookup {
  /** Sequence number of the newest filter applied. */
  readonly sequence: number;
  /** True when key (hi, lo) is revoked (for a delta alone: its answer flips). */
  has(hi: number, lo: number): boolean;
}

/** One parsed filter file. */
export class RevocationFilter implements FilterLookup {
  readonly header: FilterHeader;
  /** The file as parsed (for serving). */
  readonly bytes: Uint8Array;
  /** Strong ETag of the file (its SHA-256 trailer, quoted base64url). */
  readonly etag: string;
  private readonly body: FilterBody;
  private readonly eq = new Uint32Array(4);
  private readonly fpMask: number;

  private constructor(bytes: Uint8Array, body: FilterBody) {
    this.bytes = bytes;
    this.body = body;
    this.header = body.header;
    this.etag = etagOf(bytes);
    this.fpMask = body.header.r === 0 ? 0 : (1 << body.header.r) - 1;
  }

  /** Parse and check a filter file; throws FilterError `E_FILTER_FORMAT` on bad input. */
  static parse(bytes: Uint8Array): RevocationFilter {
    return new RevocationFilter(bytes, decodeFilter(bytes));
  }

  get sequence(): number {
    return this.header.sequence;
  }

  /** File size in bytes. */
  get size(): number {
    return this.bytes.length;
  }

  has(hi: number, lo: number): boolean {
    const b = this.body;
    const h = this.header;
    const blk = blockOf(hi, lo, h.seed, h.blocks);
    const eq = this.eq;
    if (h.r > 0) {
      const m1 = b.m1[blk]!;
      if (m1 === 0) return false;
      equationOf(hi, lo, b.seed1[blk]!, m1, eq);
      if (evaluate(b.words, b.off1[blk]!, m1, h.r, eq[0]!, eq[1]!, eq[2]!) !== (eq[3]! & this.fpMask))
        return false;
    }
    const m2 = b.m2[blk]!;
    if (m2 === 0) return false;
    equationOf(hi, lo, b.seed2[blk]! + 0x10000, m2, eq);
    return evaluate(b.words, b.off2[blk]!, m2, 1, eq[0]!, eq[1]!, eq[2]!) === 1;
  }
}

/**
 * A full filter and the deltas applied on top of it, in order. Each delta's base sequence must be
 * the sequence of the filter before it; otherwise `E_FILTER_CHAIN` (a delta whose base is missing).
 */
export class FilterChain implements FilterLookup {
  private readonly levels: readonly RevocationFilter[];

  constructor(base: RevocationFilter, deltas: readonly RevocationFilter[] = []) {
    if (base.header.kind !== "full")
      throw new FilterError(
        "E_FILTER_CHAIN",
        `filter ${base.sequence} is a delta; a chain starts with a full filter`,
      );
    let prev = base.sequence;
    for (const d of deltas) {
      if (d.header.kind !== "delta")
        throw new FilterError(
          "E_FILTER_CHAIN",
          `filter ${d.sequence} is a full filter, expected a delta on ${prev}`,
        );
      if (d.header.baseSequence !== prev)
        throw new FilterError(
          "E_FILTER_CHAIN",
          `delta ${d.sequence} applies to filter ${d.header.baseSequence}, but the chain is at ${prev} (its base is missing)`,
        );
      prev = d.sequence;
    }
    this.levels = [base, ...deltas];
  }

  get sequence(): number {
    return this.levels[this.levels.length - 1]!.sequence;
  }

  /** Total bytes a verifier holds. */
  get size(): number {
    return this.levels.reduce((s, f) => s + f.size, 0);
  }

  has(hi: number, lo: number): boolean {
    let v = false;
    for (const f of this.levels) if (f.has(hi, lo)) v = !v;
    return v;
  }
}
