/**
 * The future event list, keyed by (time, priority, seq).
 *
 * Follows SimPy 4's `heappush(queue, (now + delay, priority, next(eid), event))`: equal times are
 * ordered by priority (lower first: {@link URGENT} before {@link NORMAL}), then by insertion order,
 * so ties resolve identically on every run. Priority and sequence number are packed into one exact
 * float (`priority · 2⁴⁸ + seq`). Entries are stored in a ladder queue over typed arrays
 * (_ladder.ts: O(1) amortised per entry where a binary heap pays log₂ n unpredictable branches),
 * with the payloads in side tables indexed by slot; nothing is allocated per entry once the arrays
 * are large enough (they double when full). The removal order is exactly that of a heap on the key.
 *
 * Entries due *now* (at the time of the last pop) with URGENT or NORMAL priority — process starts,
 * `succeed()`, resource grants — go to two FIFO lanes instead; a pop takes the smallest of the
 * ladder's minimum and the lane heads.
 * @module
 */

import { Ladder } from "./_ladder.js";
import { argumentError, SimError } from "./errors.js";

/** Priority of events that must run before ordinary ones at the same time (interrupts, process start). */
export const URGENT = 0;
/** Priority of ordinary events. */
export const NORMAL = 1;
/** Largest priority accepted; priorities above {@link NORMAL} run after ordinary events at the same time. */
export const MAX_PRIORITY = 15;

const SEQ_SPAN = 2 ** 48;

function seqExhausted(): never {
  throw new SimError("E_SIM_STATE", "event queue sequence numbers exhausted (2^48)");
}

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
 * Priority queue of payloads of type `T`, each with a time, a priority and an optional argument.
 * Used by {@link Environment}; exported for tests and for callers who want a bare calendar queue.
 */
export class EventQueue<T> {
  private readonly ladder: Ladder;
  /** Payloads and arguments by slot (mirrors of the ladder's slots). */
  private items: (T | undefined)[];
  private args: unknown[];
  private seq = 0;
  private readonly urgent = new Lane<T>();
  private readonly normal = new Lane<T>();
  /** Entries in the two lanes. */
  private laneN = 0;
  /** Time shared by all lane entries. */
  private laneTime = 0;

  /**
   * Time of the entry returned by the last {@link pop} (or the start time). `declare`d, not a class
   * field, so that V8 keeps it as a double field whose box is overwritten in place (as
   * Environment._now: a class field starts as `undefined`, and a tagged field allocates a heap number
   * per store).
   */
  declare poppedTime: number;
  /** Argument of the entry returned by the last {@link pop}. */
  poppedArg: unknown = undefined;

  /**
   * @param initialCapacity ladder entries before the first growth (the queue grows as needed).
   * @param startTime the time before anything is popped (the simulation's start).
   */
  constructor(initialCapacity = 256, startTime = 0) {
    if (!(Number.isInteger(initialCapacity) && initialCapacity >= 1)) {
      throw argumentError("initialCapacity", "a positive integer", initialCapacity);
    }
    this.ladder = new Ladder(initialCapacity);
    this.items = new Array<T | undefined>(initialCapacity).fill(undefined);
    this.args = new Array<unknown>(initialCapacity).fill(undefined);
    this.poppedTime = startTime;
  }

  /** Number of entries waiting. */
  get size(): number {
    return this.ladder.size + this.laneN;
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
    if (seq >= SEQ_SPAN) seqExhausted();
    if (time === this.poppedTime && priority <= NORMAL && this.toLane(time, priority, seq, item, arg)) return;
    const ladder = this.ladder;
    const slot = ladder.alloc();
    ladder.times[slot] = time;
    ladder.keys[slot] = priority * SEQ_SPAN + seq;
    ladder.place(slot);
    if (slot >= this.items.length) this.growPayloads(ladder.capacity);
    this.items[slot] = item;
    // Free slots hold no argument, so events (which have none) skip the store here and in pop.
    if (arg !== undefined) this.args[slot] = arg;
  }

  /** Time of the earliest entry, or `Infinity` when empty. */
  peekTime(): number {
    const heap = this.ladder.size > 0 ? this.ladder.times[this.ladder.peek()]! : Infinity;
    return this.laneN > 0 && this.laneTime < heap ? this.laneTime : heap;
  }

  /** Payload of the earliest entry without removing it, or `undefined` when empty. */
  peekItem(): T | undefined {
    const lane = this.laneFirst();
    if (lane !== null) return lane.items[lane.head];
    return this.ladder.size > 0 ? this.items[this.ladder.peek()] : undefined;
  }

  /**
   * Removes and returns the earliest entry's payload; its time and argument are left in
   * {@link poppedTime} and {@link poppedArg}. The caller checks {@link size} first.
   */
  pop(): T {
    return this.laneN > 0 ? this.popWithLanes() : this.popLadder();
  }

  /**
   * {@link pop} while the lanes hold entries: kept out of pop so that the event loop, which inlines
   * pop, spends its inlining budget on the model's code rather than on the lanes.
   */
  private popWithLanes(): T {
    const lane = this.laneFirst();
    return lane !== null ? this.popLane(lane) : this.popLadder();
  }

  /** Removes and returns the ladder's minimum entry. */
  private popLadder(): T {
    const ladder = this.ladder;
    const slot = ladder.pop();
    this.poppedTime = ladder.times[slot]!;
    const items = this.items;
    const item = items[slot] as T;
    items[slot] = undefined;
    const arg = this.args[slot];
    this.poppedArg = arg;
    if (arg !== undefined) this.args[slot] = undefined;
    return item;
  }

  /**
   * Checks the store's ordering invariants (for tests).
   * @returns `true` when every region of the ladder is well ordered.
   */
  checkInvariant(): boolean {
    return this.ladder.check();
  }

  /**
   * Queues an entry due now (at the last popped time, URGENT or NORMAL) in its lane, unless the lanes
   * hold entries of another time. @returns whether it was queued.
   */
  private toLane(time: number, priority: number, seq: number, item: T, arg: unknown): boolean {
    if (this.laneN === 0) this.laneTime = time;
    else if (time !== this.laneTime) return false;
    (priority === URGENT ? this.urgent : this.normal).push(priority * SEQ_SPAN + seq, item, arg);
    this.laneN++;
    return true;
  }

  private popLane(lane: Lane<T>): T {
    this.poppedTime = this.laneTime;
    this.laneN--;
    return lane.shift(this);
  }

  /** The lane whose head comes before the ladder's minimum, or null. */
  private laneFirst(): Lane<T> | null {
    const lane = this.urgent.size > 0 ? this.urgent : this.normal.size > 0 ? this.normal : null;
    if (lane === null || this.ladder.size === 0) return lane;
    const ladder = this.ladder;
    const top = ladder.peek();
    const t = ladder.times[top]!;
    const lt = this.laneTime;
    return lt < t || (lt === t && lane.keys[lane.head]! < ladder.keys[top]!) ? lane : null;
  }

  private growPayloads(capacity: number): void {
    for (let i = this.items.length; i < capacity; i++) {
      this.items.push(undefined);
      this.args.push(undefined);
    }
  }
}
