/**
 * A ladder queue over typed arrays: the future event list's store, with O(1) amortised insert and
 * removal for the time distributions of DES models (Tang, Goh & Thng, "Ladder Queue: An O(1)
 * Priority Queue Structure for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3), 2005).
 *
 * Entries are (time, key) in a slot the ladder hands out: `key` breaks ties of equal times
 * (priority · 2⁴⁸ + sequence number, see event-queue.ts) and the slot indexes the caller's side
 * table of payloads. Removal order is exactly ascending (time, key), as a binary heap would give —
 * the ladder only changes how much sorting is done, never the order:
 *
 * - **top**: an unsorted linked list of the far future (everything after the rungs);
 * - **rungs** (at most {@link MAX_RUNGS}): each splits a time range into buckets of equal width —
 *   unsorted linked lists. Rung 0 is built from top; rung r+1 from one over-full bucket of rung r;
 * - **bottom**: the nearest entries, kept sorted (descending, so the minimum is popped off the end).
 *
 * Every entry's place is decided by one monotone function per rung, `bucket_r(t) = ⌊(t − start_r) ·
 * scale_r⌋` (scale = buckets per time unit; rounding is monotone, so the function is), so equal or
 * increasing times can never land in regions dequeued in the other order: bottom < the deepest
 * rung's remaining buckets < … < rung 0's remaining buckets < top. No memory is allocated per
 * entry: links live in an `Int32Array`, buckets are head/tail indices per rung, free slots a stack.
 * @module
 */

/** Buckets holding more than this many entries are split into a finer rung instead of sorted. */
const THRESHOLD = 48;
/** Deepest ladder; a bucket at this depth is sorted whatever its size. */
const MAX_RUNGS = 8;
const NIL = -1;

/** The ladder store. */
export class Ladder {
  /** Entry times, indexed by slot. */
  times: Float64Array;
  /** Entry tie-break keys, indexed by slot. */
  keys: Float64Array;
  /** Entries stored (top + rungs + bottom). */
  size = 0;
  private next: Int32Array;
  /** Free slots (a stack) and the slots ever handed out. */
  private free: Int32Array;
  private freeTop = 0;
  private used = 0;
  /** Sorted descending by (time, key): the minimum is at `bottomN − 1`. */
  private bottom: Int32Array;
  private bottomN = 0;
  private topHead = NIL;
  private topN = 0;
  private topMin = Infinity;
  private topMax = -Infinity;
  /** Rungs in use; rung r has `rN[r]` buckets from `rStart[r]`, `rScale[r]` buckets per time unit. */
  private nRungs = 0;
  private readonly rStart = new Float64Array(MAX_RUNGS);
  private readonly rScale = new Float64Array(MAX_RUNGS);
  private readonly rN = new Int32Array(MAX_RUNGS);
  /** Buckets before `rCur[r]` are consumed. */
  private readonly rCur = new Int32Array(MAX_RUNGS);
  private readonly heads: Int32Array[] = [];
  private readonly tails: Int32Array[] = [];

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
    this.next = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
    this.bottom = new Int32Array(Math.max(64, capacity));
    for (let r = 0; r < MAX_RUNGS; r++) {
      this.heads.push(new Int32Array(0));
      this.tails.push(new Int32Array(0));
    }
  }

  /** Slots available before the per-slot arrays grow. */
  get capacity(): number {
    return this.times.length;
  }

  /** Stores an entry; returns its slot. */
  insert(time: number, key: number): number {
    const slot = this.alloc();
    this.times[slot] = time;
    this.keys[slot] = key;
    this.place(slot);
    return slot;
  }

  /**
   * A slot for a new entry: the caller writes its time and key into {@link times} and {@link keys}
   * (read after this call: the arrays may grow) and then calls {@link place}. Split this way so
   * that no call on the event loop's path passes a double: V8 boxes a double argument of a call it
   * does not inline, which is an allocation per event.
   */
  alloc(): number {
    return this.freeTop > 0 ? this.free[--this.freeTop]! : this.newSlot();
  }

  /** Stores the entry whose time and key were written into `slot` (from {@link alloc}). */
  place(slot: number): void {
    this.size++;
    const time = this.times[slot]!;
    const nRungs = this.nRungs;
    if (nRungs > 0) {
      // Common case first: rung 0's remaining buckets or top. x is compared before it is truncated
      // (for x ≥ rCur ≥ 0 and x < rN, `x | 0` is ⌊x⌋, and x ≥ k ⟺ ⌊x⌋ ≥ k for an integer k).
      const x = (time - this.rStart[0]!) * this.rScale[0]!;
      if (x >= this.rCur[0]!) {
        if (x < this.rN[0]!) this.toBucket(0, x | 0, slot);
        else this.toTop(slot, time);
        return;
      }
      if (nRungs > 1) this.placeDeep(slot, time);
      else this.toBottom(slot);
    } else if (this.bottomN === 0 || this.afterBottom(slot)) this.toTop(slot, time);
    else this.toBottom(slot);
  }

  /** Slot of the minimum entry without removing it; the caller checks {@link size} > 0. */
  peek(): number {
    if (this.bottomN === 0) this.refill();
    return this.bottom[this.bottomN - 1]!;
  }

  /**
   * Removes the minimum entry and returns its slot, which stays readable (times, keys, the caller's
   * payloads) until the next {@link insert}; the caller checks {@link size} > 0.
   */
  pop(): number {
    if (this.bottomN === 0) this.refill();
    this.size--;
    const slot = this.bottom[--this.bottomN]!;
    this.free[this.freeTop++] = slot;
    return slot;
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
      const heads = this.heads[r]!;
      for (let b = this.rCur[r]!; b < this.rN[r]!; b++) {
        let bucketMax = NIL;
        for (let s = heads[b]!; s !== NIL; s = this.next[s]!) {
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
    return count + this.freeTop === this.used && count === this.size;
  }

  /** A never-used slot, growing the per-slot arrays when they are full. */
  private newSlot(): number {
    if (this.used === this.times.length) this.grow(this.used * 2);
    return this.used++;
  }

  private grow(capacity: number): void {
    const times = new Float64Array(capacity);
    times.set(this.times);
    this.times = times;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.keys = keys;
    const next = new Int32Array(capacity);
    next.set(this.next);
    this.next = next;
    const free = new Int32Array(capacity);
    free.set(this.free);
    this.free = free;
  }

  /** Places `slot`, whose rung-0 bucket is consumed, in a finer rung or bottom. */
  private placeDeep(slot: number, t: number): void {
    const nRungs = this.nRungs;
    for (let r = 1; r < nRungs; r++) {
      let b = Math.floor((t - this.rStart[r]!) * this.rScale[r]!);
      // A finer rung's last bucket takes everything its parent bucket holds beyond it.
      const n = this.rN[r]!;
      if (b >= n) b = n - 1;
      if (b >= this.rCur[r]!) {
        this.toBucket(r, b, slot);
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

  private toBucket(r: number, b: number, slot: number): void {
    const tails = this.tails[r]!;
    const tail = tails[b]!;
    this.next[slot] = NIL;
    if (tail === NIL) this.heads[r]![b] = slot;
    else this.next[tail] = slot;
    tails[b] = slot;
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
    const next = this.next;
    const times = this.times;
    for (;;) {
      const r = this.nRungs - 1;
      if (r < 0) {
        const n = this.topN;
        const span = this.topMax - this.topMin;
        let list = this.topHead;
        this.topHead = NIL;
        this.topN = 0;
        const start = this.topMin;
        this.topMin = Infinity;
        this.topMax = -Infinity;
        const scale = n / span;
        if (n <= THRESHOLD || !(span > 0 && scale < Infinity)) {
          this.sortIntoBottom(list, n);
          return;
        }
        const buckets = this.openRung(0, start, scale, n + 1);
        this.nRungs = 1;
        const tails = this.tails[0]!;
        while (list !== NIL) {
          const s = list;
          list = next[s]!;
          const t = times[s]!;
          // Rung 0 starts at the minimum, so the bucket is never negative.
          const b = Math.floor((t - start) * scale);
          if (b > n) {
            this.toTop(s, t);
            continue;
          }
          next[s] = NIL;
          const tail = tails[b]!;
          if (tail === NIL) buckets[b] = s;
          else next[tail] = s;
          tails[b] = s;
        }
        continue;
      }
      const heads = this.heads[r]!;
      const nb = this.rN[r]!;
      let b = this.rCur[r]!;
      while (b < nb && heads[b] === NIL) b++;
      if (b === nb) {
        this.rCur[r] = b;
        this.nRungs = r;
        continue;
      }
      let list = heads[b]!;
      heads[b] = NIL;
      this.tails[r]![b] = NIL;
      this.rCur[r] = b + 1;
      if (next[list] === NIL) {
        // One entry: the common case in a well-spread rung.
        this.bottom[0] = list;
        this.bottomN = 1;
        return;
      }
      // Most buckets are small: sort while walking, and only if it holds more than THRESHOLD
      // entries measure it for a finer rung.
      if (this.sortSmall(list)) return;
      let count = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let s = list; s !== NIL; s = next[s]!) {
        count++;
        const t = times[s]!;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      const span = hi - lo;
      const scale = count / span;
      if (count <= THRESHOLD || r + 1 === MAX_RUNGS || !(span > 0 && scale < Infinity)) {
        this.sortIntoBottom(list, count);
        return;
      }
      // Split the bucket into a finer rung; entries it cannot place above its start go to bottom.
      const finer = r + 1;
      const fn = count + 1;
      this.openRung(finer, lo, scale, fn);
      this.nRungs = finer + 1;
      while (list !== NIL) {
        const s = list;
        list = next[s]!;
        const fb = Math.floor((times[s]! - lo) * scale);
        if (fb < 0) this.toBottom(s);
        else this.toBucket(finer, fb < fn ? fb : fn - 1, s);
      }
      if (this.bottomN > 0) return;
    }
  }

  /** Sets up rung `r` with `n` empty buckets; returns its heads. */
  private openRung(r: number, start: number, scale: number, n: number): Int32Array {
    let heads = this.heads[r]!;
    if (heads.length < n) {
      const cap = Math.max(n, heads.length * 2);
      heads = this.heads[r] = new Int32Array(cap);
      this.tails[r] = new Int32Array(cap);
    }
    heads.fill(NIL, 0, n);
    this.tails[r]!.fill(NIL, 0, n);
    this.rStart[r] = start;
    this.rScale[r] = scale;
    this.rN[r] = n;
    this.rCur[r] = 0;
    return heads;
  }

  /**
   * Puts the entries of `list` into the empty bottom, sorted descending, if there are at most
   * {@link THRESHOLD} of them. @returns false (bottom left empty) if there are more.
   */
  private sortSmall(list: number): boolean {
    if (this.bottom.length <= THRESHOLD) this.bottom = new Int32Array(2 * THRESHOLD);
    const bottom = this.bottom;
    const times = this.times;
    const keys = this.keys;
    const next = this.next;
    let n = 0;
    for (let s = list; s !== NIL; s = next[s]!) {
      if (n === THRESHOLD) return false;
      const t = times[s]!;
      const k = keys[s]!;
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
    this.bottomN = n;
    return true;
  }

  /** Puts the `count` entries of `list` into the empty bottom, sorted descending. */
  private sortIntoBottom(list: number, count: number): void {
    if (this.bottom.length < count) this.bottom = new Int32Array(Math.max(count, this.bottom.length * 2));
    const bottom = this.bottom;
    const times = this.times;
    const keys = this.keys;
    const next = this.next;
    let n = 0;
    for (let s = list; s !== NIL; s = next[s]!) {
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
