/**
 * A first-in-first-out queue of exact cohorts, each a vector of counts (one per municipality) that
 * shares a key (the application day) and a ready time. A capacity-limited server takes whole cohorts
 * oldest first and splits the last one pro rata ({@link apportion}), so a national stage such as the
 * card factory serves every municipality fairly while every card stays counted exactly.
 * Events scale with days × stages, not with cards (DESIGN.md §4, "Cohorts").
 * @module
 */
import { apportion } from "./apportion.js";

/** One cohort: `counts[i]` items of segment `i`, all with the same key. */
export interface VectorCohort {
  /** Key carried through the pipeline — here the application day. */
  readonly key: number;
  /** Earliest time this cohort may be served. */
  readonly ready: number;
  readonly counts: Float64Array;
  total: number;
}

/** FIFO of {@link VectorCohort}s over a fixed number of segments. */
export class VectorFifo {
  readonly width: number;
  #items: VectorCohort[] = [];
  #head = 0;
  #total = 0;
  readonly #scratch: Float64Array;

  constructor(width: number) {
    this.width = width;
    this.#scratch = new Float64Array(width);
  }

  /** Items waiting in every cohort. */
  get total(): number {
    return this.#total;
  }

  /** Number of cohorts waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a cohort (its `counts` array is taken over, not copied). Empty cohorts are dropped. */
  push(key: number, ready: number, counts: Float64Array, total: number): void {
    if (total <= 0) return;
    this.#items.push({ key, ready, counts, total });
    this.#total += total;
  }

  /**
   * Serves up to `capacity` items from cohorts ready at `now`, oldest first; the last cohort touched
   * is split pro rata. `emit` receives each served part as a new vector (owned by the callee).
   * @returns how many items were served
   */
  serve(
    now: number,
    capacity: number,
    emit: (key: number, counts: Float64Array, total: number) => void,
  ): number {
    let left = Math.floor(capacity);
    let served = 0;
    while (left > 0 && this.#head < this.#items.length) {
      const c = this.#items[this.#head]!;
      if (c.ready > now) break;
      if (c.total <= left) {
        this.#head++;
        left -= c.total;
        served += c.total;
        this.#total -= c.total;
        emit(c.key, c.counts, c.total);
        continue;
      }
      const part = new Float64Array(this.width);
      apportion(c.counts, c.total, left, part);
      const counts = c.counts;
      for (let i = 0; i < counts.length; i++) counts[i] = counts[i]! - part[i]!;
      c.total -= left;
      this.#total -= left;
      served += left;
      emit(c.key, part, left);
      left = 0;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return served;
  }

  /** Sum of the waiting counts per segment (for per-municipality backlog reports). */
  segmentTotals(out: Float64Array = this.#scratch): Float64Array {
    out.fill(0);
    for (let j = this.#head; j < this.#items.length; j++) {
      const counts = this.#items[j]!.counts;
      for (let i = 0; i < counts.length; i++) out[i] = out[i]! + counts[i]!;
    }
    return out;
  }

  /** Calls `visit` for every waiting cohort, oldest first. */
  forEach(visit: (c: VectorCohort) => void): void {
    for (let j = this.#head; j < this.#items.length; j++) visit(this.#items[j]!);
  }
}
