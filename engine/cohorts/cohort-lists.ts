/**
 * Many small FIFO queues of (key, count) cohorts — one per municipality — each a ring buffer of
 * interleaved (key, count) pairs in its own Float64Array, so walking a queue reads consecutive
 * memory (no JS object per cohort, no pointer chasing). Pushing a cohort whose key equals the
 * tail's merges them. The backbone of the exact-cohort counter queues (DESIGN.md §4).
 * @module
 */

const INITIAL_PAIRS = 8;

/** A set of `listCount` FIFO queues of (key, count) entries. */
export class CohortLists {
  readonly listCount: number;
  readonly #buffers: Float64Array[];
  /** Index (in pairs) of each queue's head, and its length in pairs. */
  readonly #head: Int32Array;
  readonly #length: Int32Array;
  readonly #totals: Float64Array;

  constructor(listCount: number) {
    this.listCount = listCount;
    this.#buffers = Array.from({ length: listCount }, () => new Float64Array(2 * INITIAL_PAIRS));
    this.#head = new Int32Array(listCount);
    this.#length = new Int32Array(listCount);
    this.#totals = new Float64Array(listCount);
  }

  /** Items waiting in queue `list`. */
  total(list: number): number {
    return this.#totals[list]!;
  }

  /** Entries (distinct consecutive keys) waiting in queue `list`. */
  entries(list: number): number {
    return this.#length[list]!;
  }

  /** Appends `count` items with `key` to `list`, merging with the tail when the key matches. */
  push(list: number, key: number, count: number): void {
    if (count <= 0) return;
    this.#totals[list] = this.#totals[list]! + count;
    let buf = this.#buffers[list]!;
    const cap = buf.length >> 1;
    const len = this.#length[list]!;
    if (len > 0) {
      const tail = ((this.#head[list]! + len - 1) % cap) << 1;
      if (buf[tail] === key) {
        buf[tail + 1] = buf[tail + 1]! + count;
        return;
      }
    }
    if (len === cap) buf = this.#grow(list);
    const at = ((this.#head[list]! + len) % (buf.length >> 1)) << 1;
    buf[at] = key;
    buf[at + 1] = count;
    this.#length[list] = len + 1;
  }

  /**
   * Takes up to `n` items from the front of `list`, oldest first, calling `taken(key, count)` for
   * each part taken. @returns how many were taken.
   */
  take(list: number, n: number, taken: (key: number, count: number) => void): number {
    const buf = this.#buffers[list]!;
    const cap = buf.length >> 1;
    let head = this.#head[list]!;
    let len = this.#length[list]!;
    let left = n;
    while (left > 0 && len > 0) {
      const at = head << 1;
      const c = buf[at + 1]!;
      if (c <= left) {
        taken(buf[at]!, c);
        left -= c;
        head = head + 1 === cap ? 0 : head + 1;
        len--;
      } else {
        taken(buf[at]!, left);
        buf[at + 1] = c - left;
        left = 0;
      }
    }
    this.#head[list] = len === 0 ? 0 : head;
    this.#length[list] = len;
    const done = n - left;
    this.#totals[list] = this.#totals[list]! - done;
    return done;
  }

  /** Calls `visit(key, count)` for each entry of `list`, oldest first. */
  forEach(list: number, visit: (key: number, count: number) => void): void {
    const buf = this.#buffers[list]!;
    const cap = buf.length >> 1;
    const head = this.#head[list]!;
    for (let i = 0; i < this.#length[list]!; i++) {
      const at = ((head + i) % cap) << 1;
      visit(buf[at]!, buf[at + 1]!);
    }
  }

  /** Doubles queue `list`'s ring, unrolling it so the head is at 0. */
  #grow(list: number): Float64Array {
    const old = this.#buffers[list]!;
    const cap = old.length >> 1;
    const head = this.#head[list]!;
    const next = new Float64Array(old.length * 2);
    next.set(old.subarray(head << 1));
    next.set(old.subarray(0, head << 1), (cap - head) << 1);
    this.#buffers[list] = next;
    this.#head[list] = 0;
    return next;
  }
}
