/**
 * Many small FIFO lists of (key, count) cohorts kept in shared typed arrays — one list per
 * municipality, or per (municipality, day) calendar slot — with no JS object per cohort. Pushing a
 * cohort whose key equals the tail's merges them; splicing a whole list onto another is O(1).
 * The backbone of the exact-cohort pipeline (DESIGN.md §4).
 * @module
 */

const NIL = -1;

/** A set of `listCount` FIFO lists of (key, count) entries. */
export class CohortLists {
  readonly listCount: number;
  readonly #head: Int32Array;
  readonly #tail: Int32Array;
  readonly #totals: Float64Array;
  #next: Int32Array;
  #key: Int32Array;
  #count: Float64Array;
  #free = NIL;
  #used = 0;

  constructor(listCount: number, initialEntries = 1 << 16) {
    this.listCount = listCount;
    this.#head = new Int32Array(listCount).fill(NIL);
    this.#tail = new Int32Array(listCount).fill(NIL);
    this.#totals = new Float64Array(listCount);
    this.#next = new Int32Array(initialEntries);
    this.#key = new Int32Array(initialEntries);
    this.#count = new Float64Array(initialEntries);
  }

  /** Items waiting in list `list`. */
  total(list: number): number {
    return this.#totals[list]!;
  }

  /** Entries currently allocated (for memory reporting). */
  get entriesInUse(): number {
    return this.#used;
  }

  /** Appends `count` items with `key` to `list`, merging with the tail when the key matches. */
  push(list: number, key: number, count: number): void {
    if (count <= 0) return;
    this.#totals[list] = this.#totals[list]! + count;
    const t = this.#tail[list]!;
    if (t !== NIL && this.#key[t] === key) {
      this.#count[t] = this.#count[t]! + count;
      return;
    }
    const e = this.#alloc();
    this.#key[e] = key;
    this.#count[e] = count;
    this.#next[e] = NIL;
    if (t === NIL) this.#head[list] = e;
    else this.#next[t] = e;
    this.#tail[list] = e;
  }

  /** Moves every entry of `from` to the end of `to` (O(1)); `from` becomes empty. */
  spliceAll(from: number, to: number): void {
    const h = this.#head[from]!;
    if (h === NIL) return;
    this.#totals[to] = this.#totals[to]! + this.#totals[from]!;
    this.#totals[from] = 0;
    const t = this.#tail[to]!;
    if (t === NIL) {
      this.#head[to] = h;
    } else if (this.#key[t] === this.#key[h]) {
      this.#count[t] = this.#count[t]! + this.#count[h]!;
      const after = this.#next[h]!;
      this.#release(h);
      if (after === NIL) {
        this.#head[from] = NIL;
        this.#tail[from] = NIL;
        return;
      }
      this.#next[t] = after;
    } else {
      this.#next[t] = h;
    }
    this.#tail[to] = this.#tail[from]!;
    this.#head[from] = NIL;
    this.#tail[from] = NIL;
  }

  /**
   * Takes up to `n` items from the front of `list`, oldest first, calling `taken(key, count)` for
   * each part taken. @returns how many were taken.
   */
  take(list: number, n: number, taken: (key: number, count: number) => void): number {
    let left = n;
    let e = this.#head[list]!;
    while (left > 0 && e !== NIL) {
      const c = this.#count[e]!;
      if (c <= left) {
        taken(this.#key[e]!, c);
        left -= c;
        const nx = this.#next[e]!;
        this.#release(e);
        e = nx;
      } else {
        taken(this.#key[e]!, left);
        this.#count[e] = c - left;
        left = 0;
      }
    }
    this.#head[list] = e;
    if (e === NIL) this.#tail[list] = NIL;
    const done = n - left;
    this.#totals[list] = this.#totals[list]! - done;
    return done;
  }

  /** Calls `visit(key, count)` for each entry of `list`, oldest first. */
  forEach(list: number, visit: (key: number, count: number) => void): void {
    for (let e = this.#head[list]!; e !== NIL; e = this.#next[e]!) visit(this.#key[e]!, this.#count[e]!);
  }

  #alloc(): number {
    this.#used++;
    if (this.#free !== NIL) {
      const e = this.#free;
      this.#free = this.#next[e]!;
      return e;
    }
    const e = this.#used - 1;
    if (e >= this.#next.length) this.#grow();
    return e;
  }

  #release(e: number): void {
    this.#used--;
    this.#next[e] = this.#free;
    this.#free = e;
  }

  #grow(): void {
    const size = this.#next.length * 2;
    const next = new Int32Array(size);
    next.set(this.#next);
    const key = new Int32Array(size);
    key.set(this.#key);
    const count = new Float64Array(size);
    count.set(this.#count);
    this.#next = next;
    this.#key = key;
    this.#count = count;
  }
}
