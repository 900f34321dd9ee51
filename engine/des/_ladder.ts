/**
 * A ladder queue over typed arrays: the future event list's store, with O(1) amortised insert and
 * removal for the time distributions of DES models (Tang, Goh & Thng, "Ladder Queue: An O(1)
 * Priority Queue Structure for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3), 2005).
 *
 * Entries are (time, key, slot): `key` breaks ties of equal times (priority · 2⁴⁸ + sequence
 * number, see event-queue.ts) and `slot` indexes the caller's side table of payloads. Removal order
 * is exactly ascending (time, key), as a binary heap would give — the ladder only changes how much
 * sorting is done, never the order:
 *
 * - **top**: an unsorted linked list of the far future (everything after the rungs);
 * - **rungs** (at most {@link MAX_RUNGS}): each splits a time range into buckets of equal width —
 *   unsorted linked lists. Rung 0 is built from top; rung r+1 from one over-full bucket of rung r;
 * - **bottom**: the nearest entries, kept sorted (descending, so the minimum is popped off the end).
 *
 * Every entry's place is decided by one monotone function per rung, `bucket_r(t) = ⌊(t − start_r) /
 * width_r⌋`, so equal or increasing times can never land in regions dequeued in the other order:
 * bottom < the deepest rung's remaining buckets < … < rung 0's remaining buckets < top. No memory is
 * allocated per entry: links live in an `Int32Array`, buckets are head/tail indices per rung.
 * @module
 */

/** Buckets holding more than this many entries are split into a finer rung instead of sorted. */
const THRESHOLD = 48;
/** Deepest ladder; a bucket at this depth is sorted whatever its size. */
const MAX_RUNGS = 8;
/** Mean entries per bucket when a rung is built (few enough to sort by insertion). */
const PER_BUCKET = 1;
const NIL = -1;

/** One rung: `n` buckets of width `width` from `start`; buckets before `cur` are consumed. */
interface Rung {
  start: number;
  width: number;
  n: number;
  cur: number;
  heads: Int32Array;
  tails: Int32Array;
}

/** The ladder store. Times and keys live in arrays owned by the caller (see {@link Ladder.bind}). */
export class Ladder {
  /** Entry times, indexed by slot. */
  times: Float64Array;
  /** Entry tie-break keys, indexed by slot. */
  keys: Float64Array;
  private next: Int32Array;
  private readonly rungs: Rung[] = [];
  private nRungs = 0;
  private topHead = NIL;
  private topN = 0;
  private topMin = Infinity;
  private topMax = -Infinity;
  /** Sorted descending by (time, key): the minimum is at `bottomN − 1`. */
  private bottom: Int32Array;
  private bottomN = 0;
  /** Entries stored (top + rungs + bottom). */
  size = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
    this.next = new Int32Array(capacity);
    this.bottom = new Int32Array(Math.max(64, capacity));
    for (let r = 0; r < MAX_RUNGS; r++) {
      this.rungs.push({
        start: 0,
        width: 1,
        n: 0,
        cur: 0,
        heads: new Int32Array(0),
        tails: new Int32Array(0),
      });
    }
  }

  /** Grows the per-slot arrays to `capacity` (never shrinks). */
  grow(capacity: number): void {
    const times = new Float64Array(capacity);
    times.set(this.times);
    this.times = times;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const next = new Int32Array(capacity);
    next.set(this.next);
    this.next = next;
  }

  /** Stores the entry whose time and key are already written at `slot`. */
  insert(slot: number): void {
    this.size++;
    this.place(slot);
  }

  /** Slot of the minimum entry without removing it; the caller checks {@link size} > 0. */
  peek(): number {
    if (this.bottomN === 0) this.refill();
    return this.bottom[this.bottomN - 1]!;
  }

  /** Removes and returns the slot of the minimum entry; the caller checks {@link size} > 0. */
  pop(): number {
    if (this.bottomN === 0) this.refill();
    this.size--;
    return this.bottom[--this.bottomN]!;
  }

  /** For tests: checks every region's ordering constraints. @returns true when consistent. */
  check(): boolean {
    const times = this.times;
    const keys = this.keys;
    const less = (a: number, b: number): boolean =>
      times[a]! < times[b]! || (times[a] === times[b] && keys[a]! < keys[b]!);
    for (let i = 1; i < this.bottomN; i++) if (!less(this.bottom[i]!, this.bottom[i - 1]!)) return false;
    // Each region's entries must all come after the previous region's (bottom, deepest rung … top).
    let prevMax = this.bottomN > 0 ? this.bottom[0]! : NIL;
    let count = this.bottomN;
    for (let r = this.nRungs - 1; r >= 0; r--) {
      const rung = this.rungs[r]!;
      for (let b = rung.cur; b < rung.n; b++) {
        let bucketMax = NIL;
        for (let s = rung.heads[b]!; s !== NIL; s = this.next[s]!) {
          count++;
          if (prevMax !== NIL && !less(prevMax, s)) return false;
          if (bucketMax === NIL || less(bucketMax, s)) bucketMax = s;
        }
        if (bucketMax !== NIL) prevMax = bucketMax;
      }
    }
    for (let s = this.topHead; s !== NIL; s = this.next[s]!) {
      count++;
      if (prevMax !== NIL && !less(prevMax, s)) return false;
    }
    return count === this.size;
  }

  /** Puts `slot` into the region its (time, key) belongs to. */
  private place(slot: number): void {
    const t = this.times[slot]!;
    const nRungs = this.nRungs;
    if (nRungs === 0) {
      if (this.bottomN === 0 || this.afterBottom(slot)) this.toTop(slot, t);
      else this.toBottom(slot);
      return;
    }
    const rungs = this.rungs;
    for (let r = 0; r < nRungs; r++) {
      const rung = rungs[r]!;
      let b = Math.floor((t - rung.start) / rung.width);
      if (r === 0) {
        if (b >= rung.n) {
          this.toTop(slot, t);
          return;
        }
      } else if (b >= rung.n) {
        // A finer rung's last bucket takes everything its parent bucket holds beyond it.
        b = rung.n - 1;
      }
      if (b >= rung.cur) {
        this.toBucket(rung, b, slot);
        return;
      }
    }
    this.toBottom(slot);
  }

  /** True if `slot` comes after the largest bottom entry. */
  private afterBottom(slot: number): boolean {
    const m = this.bottom[0]!;
    const t = this.times[slot]!;
    const mt = this.times[m]!;
    return t > mt || (t === mt && this.keys[slot]! > this.keys[m]!);
  }

  private toTop(slot: number, t: number): void {
    this.next[slot] = this.topHead;
    this.topHead = slot;
    this.topN++;
    if (t < this.topMin) this.topMin = t;
    if (t > this.topMax) this.topMax = t;
  }

  private toBucket(rung: Rung, b: number, slot: number): void {
    this.next[slot] = NIL;
    const tail = rung.tails[b]!;
    if (tail === NIL) rung.heads[b] = slot;
    else this.next[tail] = slot;
    rung.tails[b] = slot;
  }

  /** Sorted insertion into bottom (binary search, then one block move). */
  private toBottom(slot: number): void {
    const n = this.bottomN;
    if (n === this.bottom.length) {
      const bigger = new Int32Array(n * 2);
      bigger.set(this.bottom);
      this.bottom = bigger;
    }
    const bottom = this.bottom;
    const times = this.times;
    const keys = this.keys;
    const t = times[slot]!;
    const k = keys[slot]!;
    // Find the first index whose entry is smaller than (t, k); entries before it are larger.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = bottom[mid]!;
      const st = times[s]!;
      if (st > t || (st === t && keys[s]! > k)) lo = mid + 1;
      else hi = mid;
    }
    if (n - lo > 32) bottom.copyWithin(lo + 1, lo, n);
    else for (let i = n; i > lo; i--) bottom[i] = bottom[i - 1]!;
    bottom[lo] = slot;
    this.bottomN = n + 1;
  }

  /** Fills the empty bottom with the next entries (the caller checks there are some). */
  private refill(): void {
    for (;;) {
      if (this.nRungs === 0) {
        const n = this.topN;
        const span = this.topMax - this.topMin;
        let list = this.topHead;
        this.topHead = NIL;
        this.topN = 0;
        this.topMin = Infinity;
        this.topMax = -Infinity;
        if (n <= THRESHOLD || !(span > 0 && span < Infinity)) {
          this.sortIntoBottom(list, n);
          return;
        }
        const buckets = Math.ceil(n / PER_BUCKET);
        const rung = this.openRung(0, this.times[this.minOf(list)]!, span / buckets, buckets + 1);
        this.nRungs = 1;
        while (list !== NIL) {
          const s = list;
          list = this.next[s]!;
          // Rung 0 starts at the minimum, so the bucket is never negative.
          const b = Math.floor((this.times[s]! - rung.start) / rung.width);
          if (b >= rung.n) this.toTop(s, this.times[s]!);
          else this.toBucket(rung, b, s);
        }
        continue;
      }
      const r = this.nRungs - 1;
      const rung = this.rungs[r]!;
      const heads = rung.heads;
      let b = rung.cur;
      while (b < rung.n && heads[b] === NIL) b++;
      if (b === rung.n) {
        rung.cur = b;
        this.nRungs = r;
        continue;
      }
      let list = heads[b]!;
      heads[b] = NIL;
      rung.tails[b] = NIL;
      rung.cur = b + 1;
      if (this.next[list] === NIL) {
        // One entry: the common case in a well-spread rung.
        this.bottom[0] = list;
        this.bottomN = 1;
        return;
      }
      let count = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let s = list; s !== NIL; s = this.next[s]!) {
        count++;
        const t = this.times[s]!;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      const span = hi - lo;
      if (count <= THRESHOLD || r + 1 === MAX_RUNGS || !(span > 0 && span < Infinity)) {
        this.sortIntoBottom(list, count);
        return;
      }
      // Split the bucket into a finer rung; entries it cannot place above its start go to bottom.
      const buckets = Math.ceil(count / PER_BUCKET);
      const finer = this.openRung(r + 1, lo, span / buckets, buckets + 1);
      this.nRungs = r + 2;
      while (list !== NIL) {
        const s = list;
        list = this.next[s]!;
        const fb = Math.floor((this.times[s]! - finer.start) / finer.width);
        if (fb < 0) this.toBottom(s);
        else this.toBucket(finer, fb < finer.n ? fb : finer.n - 1, s);
      }
      if (this.bottomN > 0) return;
    }
  }

  private openRung(r: number, start: number, width: number, n: number): Rung {
    const rung = this.rungs[r]!;
    if (rung.heads.length < n) {
      const cap = Math.max(n, rung.heads.length * 2);
      rung.heads = new Int32Array(cap);
      rung.tails = new Int32Array(cap);
    }
    rung.heads.fill(NIL, 0, n);
    rung.tails.fill(NIL, 0, n);
    rung.start = start;
    rung.width = width;
    rung.n = n;
    rung.cur = 0;
    return rung;
  }

  private minOf(list: number): number {
    let best = list;
    for (let s = this.next[list]!; s !== NIL; s = this.next[s]!) {
      if (this.times[s]! < this.times[best]!) best = s;
    }
    return best;
  }

  /** Puts the `count` entries of `list` into the empty bottom, sorted descending. */
  private sortIntoBottom(list: number, count: number): void {
    if (this.bottom.length < count) this.bottom = new Int32Array(Math.max(count, this.bottom.length * 2));
    const bottom = this.bottom;
    const times = this.times;
    const keys = this.keys;
    let n = 0;
    for (let s = list; s !== NIL; s = this.next[s]!) {
      // Insertion sort: buckets are small (≤ THRESHOLD) except at the deepest rung or equal times.
      const t = times[s]!;
      const k = keys[s]!;
      if (n > 32) {
        bottom[n++] = s;
        continue;
      }
      let i = n++;
      while (i > 0) {
        const p = bottom[i - 1]!;
        const pt = times[p]!;
        if (pt > t || (pt === t && keys[p]! > k)) break;
        bottom[i] = p;
        i--;
      }
      bottom[i] = s;
    }
    if (n > 33) {
      bottom
        .subarray(0, n)
        .sort((a, b) => (times[b]! - times[a]! !== 0 ? times[b]! - times[a]! : keys[b]! - keys[a]!));
    }
    this.bottomN = n;
  }
}
