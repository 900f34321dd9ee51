/**
 * Builder of the CRLite/Clubcard-style revocation filter (issue 11 item 2e; ANCHORS.md §2.2):
 * exact over the universe of issued certificates — every universe key answers its target bit, no
 * false positive or negative — in two Ribbon levels per block (see filter.ts). Level 1's width r is
 * chosen to minimise r·R + R + (N − R)·2^−r bits (≈ 1.09× the information-theoretic bound
 * log2 C(N, R) at R/N = 0.1, before the Ribbon rows' overhead). Blocks of ≈ 2^15 level-2 equations
 * are solved independently, a failed block retried with its next seed. Like crlite's
 * clubcard_helper, the result is re-parsed and, unless `verify: false`, every universe key is checked
 * against it before it is returned. A delta filter is the same construction with the target
 * "the base's answer is wrong now" (truth XOR base answer), so its size follows the changes only.
 * @module
 */
import { FilterError } from "./errors.js";
import type { FilterKind } from "./format.js";
import { MAX_BLOCKS, MAX_FINGERPRINT_BITS, encodeFilter, layout } from "./format.js";
import type { FilterLookup } from "./filter.js";
import { RevocationFilter } from "./filter.js";
import { blockOf, equationOf } from "./hash.js";
import { RibbonSolver, columnWords, evaluate } from "./ribbon.js";

/**
 * The universe of issued certificates with each one's revocation state, streamed in chunks (it is
 * read twice, or three times with verification, and must give the same keys each time). Keys are
 * 64-bit ({@link certificateKey}) as [hi0, lo0, hi1, lo1, …]; `revoked[i]` is 0 or 1.
 */
export interface FilterUniverse {
  forEachChunk(sink: (keys: Uint32Array, revoked: Uint8Array, count: number) => void): void;
}

/** Options of {@link buildFilter}. */
export interface BuildFilterOptions {
  /** Sequence number written into the filter (e.g. the day). Default 0. */
  readonly sequence?: number;
  /** Global seed of the block hash. Default 0. */
  readonly seed?: number;
  /** Re-check every universe key against the parsed result (default true). */
  readonly verify?: boolean;
  /** Row overhead per block (default 0.04: m = ⌈n·1.04⌉ + 64 rows); grows 1 % per 4 failed seeds. */
  readonly overhead?: number;
  /** Level-2 equations per block to aim at (default 2^15). */
  readonly blockEquations?: number;
  /** Force the level-1 width (0–16) instead of the size-optimal one. */
  readonly fingerprintBits?: number;
}

/** Size and cost figures of one build. */
export interface FilterStats {
  readonly kind: FilterKind;
  readonly universe: number;
  /** Keys whose answer is "revoked" (full) or flips (delta). */
  readonly targets: number;
  readonly fingerprintBits: number;
  readonly blocks: number;
  readonly bytes: number;
  /** log2 C(N, R): the fewest bits any exact structure for this set can have. */
  readonly boundBits: number;
  /** bytes·8 / boundBits. */
  readonly ratio: number;
  /** Keys that reached level 2 (targets plus level-1 false positives). */
  readonly level2Equations: number;
  /** Blocks that needed more than one seed. */
  readonly retries: number;
  readonly buildMs: number;
  readonly verifyMs: number;
}

/** A built filter: the file, its ETag, the parsed query object and the figures. */
export interface BuiltFilter {
  readonly bytes: Uint8Array;
  readonly etag: string;
  readonly filter: RevocationFilter;
  readonly stats: FilterStats;
}

/** ln(n!) exactly for small n, Stirling's series above. */
function lnFactorial(n: number): number {
  if (n < 32) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** log2 C(n, k): the information-theoretic bound, in bits, for an exact k-subset of an n-set. */
export function boundBits(n: number, k: number): number {
  if (k <= 0 || k >= n) return 0;
  return (lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k)) / Math.LN2;
}

/** Level-1 width minimising r·R + R + (N − R)·2^−r (r = 0: level 2 over all N keys). */
export function optimalFingerprintBits(n: number, k: number): number {
  let best = 0;
  let bestCost = n;
  for (let r = 1; r <= MAX_FINGERPRINT_BITS; r++) {
    const cost = r * k + k + (n - k) * 2 ** -r;
    if (cost < bestCost) {
      best = r;
      bestCost = cost;
    }
  }
  return best;
}

/** Growable pairs of uint32 keys plus one byte per key. */
class KeyList {
  keys = new Uint32Array(2048);
  bits = new Uint8Array(1024);
  length = 0;
  push(hi: number, lo: number, bit: number): void {
    if (this.length === this.bits.length) {
      const k = new Uint32Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
      const b = new Uint8Array(this.bits.length * 2);
      b.set(this.bits);
      this.bits = b;
    }
    this.keys[2 * this.length] = hi;
    this.keys[2 * this.length + 1] = lo;
    this.bits[this.length++] = bit;
  }
}

/** Keys of `list` grouped by block: counting sort; returns the sorted keys, bits and block starts. */
function byBlock(
  list: KeyList,
  seed: number,
  blocks: number,
): { keys: Uint32Array; bits: Uint8Array; start: Uint32Array } {
  const n = list.length;
  const blk = new Uint32Array(n);
  const start = new Uint32Array(blocks + 1);
  const src = list.keys;
  for (let i = 0; i < n; i++) {
    const b = blockOf(src[2 * i]!, src[2 * i + 1]!, seed, blocks);
    blk[i] = b;
    start[b + 1]!++;
  }
  for (let b = 0; b < blocks; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, blocks);
  const keys = new Uint32Array(2 * n);
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = fill[blk[i]!]!++;
    keys[2 * at] = src[2 * i]!;
    keys[2 * at + 1] = src[2 * i + 1]!;
    bits[at] = list.bits[i]!;
  }
  return { keys, bits, start };
}

/** Solved block level: rows, seed and solution words. */
interface Level {
  m: number;
  seed: number;
  words: Uint32Array;
  failures: number;
}

/** Solve one block level: the keys [from, to) of `keys`, right-hand sides fingerprint&fpMask ^ bits. */
function solveLevel(
  solver: RibbonSolver,
  keys: Uint32Array,
  bits: Uint8Array | undefined,
  from: number,
  to: number,
  width: number,
  fpMask: number,
  seedOffset: number,
  overhead: number,
  where: string,
): Level {
  const n = to - from;
  if (n === 0) return { m: 0, seed: 0, words: new Uint32Array(0), failures: 0 };
  for (let attempt = 0; attempt < 256; attempt++) {
    const m = Math.ceil(n * (1 + overhead + 0.01 * Math.floor(attempt / 4))) + 64;
    const seed = attempt;
    solver.reset(m);
    let ok = true;
    for (let i = from; i < to && ok; i++)
      ok = solver.add(keys[2 * i]!, keys[2 * i + 1]!, seed + seedOffset, fpMask, bits ? bits[i]! : 0);
    if (!ok) continue;
    const words = new Uint32Array(width * columnWords(m));
    solver.solve(width, words, 0);
    return { m, seed, words, failures: attempt };
  }
  throw new FilterError(
    "E_FILTER_BUILD",
    `${where}: no solution with 256 seeds — the universe holds one certificate key both revoked and not revoked (a duplicate or a 64-bit key collision)`,
  );
}

/**
 * Build a filter over `universe` whose answer is each key's revoked bit XOR `base`'s answer (no
 * base: a full filter). Throws {@link FilterError} `E_FILTER_BUILD` when the universe is empty, when it
 * changes between passes, or when a key is listed as both revoked and not revoked.
 */
export function buildFilter(
  universe: FilterUniverse,
  options: BuildFilterOptions = {},
  base?: FilterLookup,
): BuiltFilter {
  const t0 = performance.now();
  const seed = (options.seed ?? 0) >>> 0;
  const overhead = options.overhead ?? 0.04;
  if (!(overhead >= 0 && overhead <= 1))
    throw new FilterError("E_FILTER_BUILD", `overhead ${overhead}: expected 0 to 1`);
  const kind: FilterKind = base ? "delta" : "full";

  // pass 1: count the universe, collect the targets, remember every key's target bit
  const targets = new KeyList();
  let n = 0;
  let targetBits = new Uint8Array(1 << 16);
  universe.forEachChunk((keys, revoked, count) => {
    if (n + count > targetBits.length * 8) {
      const t = new Uint8Array(Math.max(targetBits.length * 2, (n + count) / 4));
      t.set(targetBits);
      targetBits = t;
    }
    for (let i = 0; i < count; i++) {
      const hi = keys[2 * i]!;
      const lo = keys[2 * i + 1]!;
      const t = base ? revoked[i]! ^ (base.has(hi, lo) ? 1 : 0) : revoked[i]! & 1;
      if (t) {
        targets.push(hi, lo, 1);
        targetBits[(n + i) >>> 3]! |= 1 << ((n + i) & 7);
      }
    }
    n += count;
  });
  if (n === 0) throw new FilterError("E_FILTER_BUILD", "the universe is empty");
  const k = targets.length;
  const r = options.fingerprintBits ?? optimalFingerprintBits(n, k);
  if (!Number.isInteger(r) || r < 0 || r > MAX_FINGERPRINT_BITS)
    throw new FilterError("E_FILTER_BUILD", `fingerprintBits ${r}: expected 0 to ${MAX_FINGERPRINT_BITS}`);
  const fpMask = r === 0 ? 0 : (1 << r) - 1;
  const expected2 = r === 0 ? n : k + (n - k) * 2 ** -r;
  const blocks = Math.min(
    MAX_BLOCKS,
    Math.max(1, Math.ceil(expected2 / (options.blockEquations ?? 1 << 15))),
  );

  // level 1 per block
  const solver = new RibbonSolver();
  const m1 = new Uint32Array(blocks);
  const m2 = new Uint32Array(blocks);
  const seed1 = new Uint16Array(blocks);
  const seed2 = new Uint16Array(blocks);
  const words1: Uint32Array[] = [];
  let retries = 0;
  if (r > 0) {
    const t = byBlock(targets, seed, blocks);
    for (let b = 0; b < blocks; b++) {
      const lv = solveLevel(
        solver,
        t.keys,
        undefined,
        t.start[b]!,
        t.start[b + 1]!,
        r,
        fpMask,
        0,
        overhead,
        `block ${b} level 1`,
      );
      m1[b] = lv.m;
      seed1[b] = lv.seed;
      words1.push(lv.words);
      if (lv.failures) retries++;
    }
  }

  // pass 2: the universe keys passing level 1, with their target bits
  const lookup = r > 0 ? new Level1Lookup(seed, blocks, m1, seed1, words1, r, fpMask) : undefined;
  const passing = new KeyList();
  let seen = 0;
  universe.forEachChunk((keys, _revoked, count) => {
    for (let i = 0; i < count; i++) {
      const hi = keys[2 * i]!;
      const lo = keys[2 * i + 1]!;
      const j = seen + i;
      const bit = j < n ? (targetBits[j >>> 3]! >>> (j & 7)) & 1 : 0;
      if (!lookup || lookup.passes(hi, lo)) passing.push(hi, lo, bit);
    }
    seen += count;
  });
  if (seen !== n)
    throw new FilterError(
      "E_FILTER_BUILD",
      `the universe gave ${n} keys in the first pass and ${seen} in the second`,
    );

  // level 2 per block
  const p = byBlock(passing, seed, blocks);
  const words2: Uint32Array[] = [];
  for (let b = 0; b < blocks; b++) {
    const lv = solveLevel(
      solver,
      p.keys,
      p.bits,
      p.start[b]!,
      p.start[b + 1]!,
      1,
      0,
      0x10000,
      overhead,
      `block ${b} level 2`,
    );
    m2[b] = lv.m;
    seed2[b] = lv.seed;
    words2.push(lv.words);
    if (lv.failures) retries++;
  }

  const { off1, off2, total } = layout(r, m1, m2);
  const words = new Uint32Array(total);
  for (let b = 0; b < blocks; b++) {
    if (r > 0) words.set(words1[b]!, off1[b]!);
    words.set(words2[b]!, off2[b]!);
  }
  const bytes = encodeFilter({
    header: {
      kind,
      r,
      blocks,
      seed,
      universe: n,
      targets: k,
      sequence: (options.sequence ?? 0) >>> 0,
      baseSequence: base ? base.sequence >>> 0 : 0,
    },
    m1,
    m2,
    seed1,
    seed2,
    off1,
    off2,
    words,
  });
  const filter = RevocationFilter.parse(bytes);
  const buildMs = performance.now() - t0;

  let verifyMs = 0;
  if (options.verify !== false) {
    const t1 = performance.now();
    let at = 0;
    universe.forEachChunk((keys, _revoked, count) => {
      for (let i = 0; i < count; i++) {
        const j = at + i;
        const want = (targetBits[j >>> 3]! >>> (j & 7)) & 1;
        if (Number(filter.has(keys[2 * i]!, keys[2 * i + 1]!)) !== want)
          throw new FilterError(
            "E_FILTER_BUILD",
            `self-check failed at universe key ${j}: the filter answers ${want ? "no" : "yes"}`,
          );
      }
      at += count;
    });
    verifyMs = performance.now() - t1;
  }
  const bound = boundBits(n, k);
  return {
    bytes,
    etag: filter.etag,
    filter,
    stats: {
      kind,
      universe: n,
      targets: k,
      fingerprintBits: r,
      blocks,
      bytes: bytes.length,
      boundBits: bound,
      ratio: bound > 0 ? (bytes.length * 8) / bound : Infinity,
      level2Equations: passing.length,
      retries,
      buildMs,
      verifyMs,
    },
  };
}

/**
 * Build a daily delta on top of `base` (a full filter or a chain ending in deltas) for the universe
 * as it is now (new certificates included): the result answers true where `base` is now wrong.
 */
export function buildDeltaFilter(
  base: FilterLookup,
  universe: FilterUniverse,
  options: BuildFilterOptions = {},
): BuiltFilter {
  return buildFilter(universe, options, base);
}

/** Level-1 queries during the build, before the file exists. */
class Level1Lookup {
  private readonly eq = new Uint32Array(4);
  constructor(
    private readonly seed: number,
    private readonly blocks: number,
    private readonly m1: Uint32Array,
    private readonly seed1: Uint16Array,
    private readonly words: Uint32Array[],
    private readonly r: number,
    private readonly fpMask: number,
  ) {}

  passes(hi: number, lo: number): boolean {
    const b = blockOf(hi, lo, this.seed, this.blocks);
    const m = this.m1[b]!;
    if (m === 0) return false;
    equationOf(hi, lo, this.seed1[b]!, m, this.eq);
    return (
      evaluate(this.words[b]!, 0, m, this.r, this.eq[0]!, this.eq[1]!, this.eq[2]!) ===
      (this.eq[3]! & this.fpMask)
    );
  }
}

/** A universe held in memory: keys [hi, lo, …] and 0/1 revoked flags, streamed in chunks of `chunk`. */
export function universeOf(keys: Uint32Array, revoked: Uint8Array, chunk = 1 << 16): FilterUniverse {
  if (keys.length !== revoked.length * 2)
    throw new FilterError("E_FILTER_BUILD", `${keys.length / 2} keys but ${revoked.length} revoked flags`);
  return {
    forEachChunk(sink) {
      for (let i = 0; i < revoked.length; i += chunk) {
        const c = Math.min(chunk, revoked.length - i);
        sink(keys.subarray(2 * i, 2 * (i + c)), revoked.subarray(i, i + c), c);
      }
    },
  };
}
