/**
 * The future event list: a binary min-heap over typed arrays, keyed by (time, priority, seq).
 *
 * Follows SimPy 4's `heappush(queue, (now + delay, priority, next(eid), event))`: equal times are
 * ordered by priority (lower first: {@link URGENT} before {@link NORMAL}), then by insertion order,
 * so ties resolve identically on every run. Times live in a `Float64Array`; priority and sequence
 * number are packed into one exact float (`priority · 2⁴⁸ + seq`) in a second `Float64Array`, and a
 * `Uint32Array` holds each entry's slot in a side table of payloads. Sifting moves only typed-array
 * numbers, never object references, and nothing is allocated per entry once the arrays are large
 * enough (they double when full).
 *
 * Two shortcuts keep the common DES patterns cheap without changing the order:
 * - entries due *now* (at the time of the last pop) with URGENT or NORMAL priority — process starts,
 *   `succeed()`, resource grants — go to two FIFO lanes instead of the heap; a pop takes the smallest
 *   of the heap top and the lane heads;
 * - a pop leaves the root empty, and if the next operation is a push (an event scheduling its
 *   successor) the new entry takes the root's place with a single sift-down.
 * @module
 */

import { argumentError, SimError } from "./errors.js";

/** Priority of events that must run before ordinary ones at the same time (interrupts, process start). */
export const URGENT = 0;
/** Priority of ordinary events. */
export const NORMAL = 1;
/** Largest priority accepted; priorities above {@link NORMAL} run after ordinary events at the same time. */
export const MAX_PRIORITY = 15;

const SEQ_SPAN = 2 ** 48;

/** FIFO ring of entries that share one time and one priority, so their keys only grow. */
class Lane<T> {
  keys = new Float64Array(16);
  items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  args: unknown[] = new Array<unknown>(16).fill(undefined);
  head = 0;
  size = 0;

  push(key: number, item: T, arg: unknown): void {
    if (this.size === this.keys.length) this.grow();
    const i = (this.head + this.size) & (this.keys.length - 1);
    this.keys[i] = key;
    this.items[i] = item;
    this.args[i] = arg;
    this.size++;
  }

  /** Removes the head; returns its item and leaves its argument in `arg`. */
  shift(queue: { poppedArg: unknown }): T {
    const i = this.head;
    const item = this.items[i] as T;
    queue.poppedArg = this.args[i];
    this.items[i] = undefined;
    this.args[i] = undefined;
    this.head = (i + 1) & (this.keys.length - 1);
    this.size--;
    return item;
  }

  private grow(): void {
    const cap = this.keys.length;
    const keys = new Float64Array(cap * 2);
    const items = new Array<T | undefined>(cap * 2).fill(undefined);
    const args = new Array<unknown>(cap * 2).fill(undefined);
    for (let k = 0; k < cap; k++) {
      const i = (this.head + k) & (cap - 1);
      keys[k] = this.keys[i]!;
      items[k] = this.items[i];
      args[k] = this.args[i];
    }
    this.keys = keys;
    this.items = items;
    this.args = args;
    this.head = 0;
  }
}

/**
 * Min-heap of payloads of type `T`, each with a time, a priority and an optional argument.
 * Used by {@link Environment}; exported for tests and for callers who want a bare calendar queue.
 */
export class EventQueue<T> {
  private times: Float64Array;
  private keys: Float64Array;
  private slots: Uint32Array;
  private free: Uint32Array;
  private freeTop = 0;
  private items: (T | undefined)[];
  private args: unknown[];
  private n = 0;
  /** True when the root has been popped but not yet refilled (see {@link pop}). */
  private hole = false;
  private seq = 0;
  private readonly urgent = new Lane<T>();
  private readonly normal = new Lane<T>();
  /** Time shared by all lane entries. */
  private laneTime = 0;

  /** Time of the entry returned by the last {@link pop} (or the start time). */
  poppedTime: number;
  /** Argument of the entry returned by the last {@link pop}. */
  poppedArg: unknown = undefined;

  /**
   * @param initialCapacity heap entries before the first growth (the queue grows as needed).
   * @param startTime the time before anything is popped (the simulation's start).
   */
  constructor(initialCapacity = 256, startTime = 0) {
    if (!(Number.isInteger(initialCapacity) && initialCapacity >= 1)) {
      throw argumentError("initialCapacity", "a positive integer", initialCapacity);
    }
    this.times = new Float64Array(initialCapacity);
    this.keys = new Float64Array(initialCapacity);
    this.slots = new Uint32Array(initialCapacity);
    this.free = new Uint32Array(initialCapacity);
    this.items = new Array<T | undefined>(initialCapacity).fill(undefined);
    this.args = new Array<unknown>(initialCapacity).fill(undefined);
    this.poppedTime = startTime;
  }

  /** Number of entries waiting. */
  get size(): number {
    return (this.hole ? this.n - 1 : this.n) + this.urgent.size + this.normal.size;
  }

  /** Number of entries ever pushed (the next sequence number). */
  get pushed(): number {
    return this.seq;
  }

  /**
   * Adds `item` at `time`. The caller guarantees `time` is a number (not NaN) and `priority` an
   * integer in [0, {@link MAX_PRIORITY}]; the {@link Environment} validates user input before calling.
   */
  push(time: number, priority: number, item: T, arg?: unknown): void {
    const seq = this.seq++;
    if (seq >= SEQ_SPAN) throw new SimError("E_SIM_STATE", "event queue sequence numbers exhausted (2^48)");
    const key = priority * SEQ_SPAN + seq;
    if (time === this.poppedTime && priority <= NORMAL) {
      const urgent = this.urgent;
      const normal = this.normal;
      if (urgent.size + normal.size === 0) this.laneTime = time;
      if (time === this.laneTime) {
        (priority === URGENT ? urgent : normal).push(key, item, arg);
        return;
      }
    }
    let slot: number;
    if (this.freeTop > 0) {
      slot = this.free[--this.freeTop]!;
    } else {
      if (this.n === this.times.length) this.grow();
      slot = this.n;
    }
    this.items[slot] = item;
    this.args[slot] = arg;
    if (this.hole) {
      this.hole = false;
      this.siftDown(time, key, slot);
      return;
    }
    const times = this.times;
    const keys = this.keys;
    const slots = this.slots;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && keys[p]! < key)) break;
      times[i] = pt;
      keys[i] = keys[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = time;
    keys[i] = key;
    slots[i] = slot;
  }

  /** Time of the earliest entry, or `Infinity` when empty. */
  peekTime(): number {
    if (this.hole) this.fillHole();
    const heap = this.n > 0 ? this.times[0]! : Infinity;
    return this.urgent.size + this.normal.size > 0 && this.laneTime < heap ? this.laneTime : heap;
  }

  /** Payload of the earliest entry without removing it, or `undefined` when empty. */
  peekItem(): T | undefined {
    if (this.hole) this.fillHole();
    const lane = this.laneFirst();
    if (lane !== null) return lane.items[lane.head];
    return this.n > 0 ? this.items[this.slots[0]!] : undefined;
  }

  /**
   * Removes and returns the earliest entry's payload; its time and argument are left in
   * {@link poppedTime} and {@link poppedArg}. The caller checks {@link size} first.
   */
  pop(): T {
    if (this.hole) this.fillHole();
    if (this.urgent.size + this.normal.size > 0) {
      const lane = this.laneFirst();
      if (lane !== null) {
        this.poppedTime = this.laneTime;
        return lane.shift(this);
      }
    }
    // Root removed lazily: the next push may take its place (see the module header).
    const slot = this.slots[0]!;
    this.poppedTime = this.times[0]!;
    const item = this.items[slot] as T;
    this.items[slot] = undefined;
    this.poppedArg = this.args[slot];
    this.args[slot] = undefined;
    this.free[this.freeTop++] = slot;
    this.hole = true;
    return item;
  }

  /**
   * Checks the heap property over all entries (for tests): every parent precedes its children.
   * @returns `true` when the heap is well ordered.
   */
  checkInvariant(): boolean {
    if (this.hole) this.fillHole();
    for (let i = 1; i < this.n; i++) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      const ct = this.times[i]!;
      if (pt > ct || (pt === ct && this.keys[p]! > this.keys[i]!)) return false;
    }
    return true;
  }

  /** The lane whose head comes before the heap top, or null (the hole is filled). */
  private laneFirst(): Lane<T> | null {
    const lane = this.urgent.size > 0 ? this.urgent : this.normal.size > 0 ? this.normal : null;
    if (lane === null || this.n === 0) return lane;
    const t = this.times[0]!;
    const lt = this.laneTime;
    return lt < t || (lt === t && lane.keys[lane.head]! < this.keys[0]!) ? lane : null;
  }

  /** Moves the last entry into the vacated root and restores the heap. */
  private fillHole(): void {
    this.hole = false;
    const n = --this.n;
    if (n > 0) this.siftDown(this.times[n]!, this.keys[n]!, this.slots[n]!);
  }

  /** Places (time, key, slot) at the root position and sifts it down over `n` entries. */
  private siftDown(t: number, k: number, s: number): void {
    const times = this.times;
    const keys = this.keys;
    const slots = this.slots;
    const n = this.n;
    const half = n >> 1;
    let i = 0;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = times[c]!;
      let ck = keys[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && keys[r]! < ck)) {
          c = r;
          ct = rt;
          ck = keys[r]!;
        }
      }
      if (t < ct || (t === ct && k < ck)) break;
      times[i] = ct;
      keys[i] = ck;
      slots[i] = slots[c]!;
      i = c;
    }
    times[i] = t;
    keys[i] = k;
    slots[i] = s;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    this.times = times;
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    this.keys = keys;
    const slots = new Uint32Array(cap);
    slots.set(this.slots);
    this.slots = slots;
    const free = new Uint32Array(cap);
    free.set(this.free);
    this.free = free;
    for (let i = this.items.length; i < cap; i++) {
      this.items.push(undefined);
      this.args.push(undefined);
    }
  }
}
