/**
 * The simulation environment: the clock, the future event list and the loop that processes it
 * (SimPy 4's `Environment`). Besides SimPy's event API it has a callback fast path,
 * {@link Environment.schedule} / {@link Environment.at}, which queues a plain function without
 * creating an event or a generator — for models that drive daily ticks or cohorts.
 *
 * The kernel does no I/O, keeps no metrics and reads no clock or random source: observers attach
 * with {@link Environment.onStep} (free when nobody listens), and randomness comes from the model.
 * @module
 */

import { argumentError, SimError } from "./errors.js";
import { EventQueue, MAX_PRIORITY, NORMAL, URGENT } from "./event-queue.js";
import type { EventCallback } from "./events.js";
import { AllOf, AnyOf, Event, PROCESSED, Timeout, TRIGGERED } from "./events.js";
import type { ProcessGenerator } from "./process.js";
import { Process } from "./process.js";

/** A function queued with {@link Environment.schedule} or {@link Environment.at}. */
export type ScheduledCallback<A = unknown> = (arg: A) => void;

/** What the event list holds: an event, or a bare callback. */
export type QueueItem = Event<unknown> | ScheduledCallback;

/**
 * Observer called before each queue entry is processed, with the (already advanced) time and the
 * entry. It must not throw; it may read anything but should not schedule.
 */
export type StepListener = (now: number, item: QueueItem) => void;

/**
 * Clock, event list and event loop.
 * @example
 * const env = new Environment();
 * env.process(function* () {
 *   for (;;) {
 *     yield env.timeout(1);
 *     trace.push(env.now);
 *   }
 * });
 * env.run(3); // trace: [1, 2]
 */
export class Environment {
  /**
   * @internal Current time; read it through {@link now}. `declare`d and assigned in the
   * constructor: as a class field it would start as `undefined`, V8 would then keep it as a tagged
   * field, and every store of a new time would allocate a heap number (16 bytes per event).
   */
  declare _now: number;
  /** @internal The future event list. */
  readonly _queue: EventQueue<QueueItem>;
  /** @internal The process whose generator is running, if any. */
  _activeProcess: Process<unknown> | null = null;
  private _listeners: StepListener[] | null = null;
  private _stop = false;
  private _until: Event<unknown> | null = null;
  private readonly _stopFn: EventCallback;

  /**
   * @param initialTime the clock's starting value (default 0).
   * @param options.initialCapacity event-list slots before it first grows (default 256).
   * @throws {SimError} `E_SIM_ARGUMENT` if `initialTime` is not a finite number.
   */
  constructor(initialTime = 0, options: { initialCapacity?: number } = {}) {
    if (!Number.isFinite(initialTime)) throw argumentError("initialTime", "a finite number", initialTime);
    this._now = initialTime;
    this._queue = new EventQueue<QueueItem>(options.initialCapacity ?? 256, initialTime);
    this._stopFn = (event) => {
      if (event === this._until) this._stop = true;
    };
  }

  /** Current simulated time. */
  get now(): number {
    return this._now;
  }

  /** The process currently running, or `null` between events. */
  get activeProcess(): Process<unknown> | null {
    return this._activeProcess;
  }

  /** Queue entries processed so far (events and scheduled callbacks). */
  get eventsProcessed(): number {
    // Every entry pushed is either still queued or has been popped and processed.
    return this._queue.pushed - this._queue.size;
  }

  /** Entries waiting in the event list. */
  get queueSize(): number {
    return this._queue.size;
  }

  /** A new pending event, to be triggered with `succeed` or `fail`. */
  event<T = unknown>(): Event<T> {
    return new Event<T>(this);
  }

  /**
   * An event that succeeds with `value` after `delay`.
   * @throws {SimError} `E_SIM_ARGUMENT` if `delay` is negative, NaN or infinite.
   */
  timeout<T = undefined>(delay: number, value?: T): Timeout<T> {
    return new Timeout<T>(this, delay, value);
  }

  /**
   * Starts a process from a generator function (called with no arguments) or a generator. It begins
   * at the current time, before ordinary events.
   * @param name name for traces; defaults to the generator function's name.
   * @throws {SimError} `E_SIM_ARGUMENT` if `generator` is neither.
   */
  process<R>(generator: ProcessGenerator<R> | (() => ProcessGenerator<R>), name?: string): Process<R> {
    let gen: unknown = generator;
    let fnName: string | undefined;
    if (typeof generator === "function") {
      fnName = generator.name || undefined;
      gen = generator();
    }
    if (
      gen === null ||
      typeof gen !== "object" ||
      typeof (gen as { next?: unknown }).next !== "function" ||
      typeof (gen as { throw?: unknown }).throw !== "function"
    ) {
      throw argumentError("generator", "a generator or a generator function", generator);
    }
    return new Process<R>(this, gen as ProcessGenerator<R>, name ?? fnName ?? "process");
  }

  /** An event triggered when all `events` have succeeded (SimPy's `AllOf`). */
  allOf(events: readonly Event<unknown>[]): AllOf {
    return new AllOf(this, events);
  }

  /** An event triggered when any of `events` has succeeded (SimPy's `AnyOf`). */
  anyOf(events: readonly Event<unknown>[]): AnyOf {
    return new AnyOf(this, events);
  }

  /**
   * Fast path: calls `fn(arg)` after `delay`, with no event or generator. Ordered with events by
   * (time, priority, insertion order).
   * @param priority 0 (URGENT) … 15; default 1 (NORMAL). Priorities above 1 run after ordinary
   *   events at the same time — e.g. end-of-day bookkeeping.
   * @throws {SimError} `E_SIM_ARGUMENT` on a negative, NaN or infinite delay, or a bad priority.
   * @example
   * const tick = (day: number) => { model.step(day); if (day < 365) env.schedule(1, tick, day + 1); };
   * env.schedule(0, tick, 0);
   */
  schedule<A>(delay: number, fn: ScheduledCallback<A>, arg?: A, priority: number = NORMAL): void {
    if (!(delay >= 0 && delay < Infinity)) throw argumentError("delay", "a finite number >= 0", delay);
    if (typeof fn !== "function") throw argumentError("fn", "a function", fn);
    if (priority !== NORMAL) checkPriority(priority);
    this._queue.push(this._now + delay, priority, fn as ScheduledCallback, arg);
  }

  /**
   * Fast path: calls `fn(arg)` at absolute time `time` (≥ now). See {@link schedule}.
   * @throws {SimError} `E_SIM_ARGUMENT` if `time` is before now, NaN or infinite, or on a bad priority.
   */
  at<A>(time: number, fn: ScheduledCallback<A>, arg?: A, priority: number = NORMAL): void {
    if (!(time >= this._now && time < Infinity)) {
      throw argumentError("time", `a finite number >= now (${this._now})`, time);
    }
    if (typeof fn !== "function") throw argumentError("fn", "a function", fn);
    if (priority !== NORMAL) checkPriority(priority);
    this._queue.push(time, priority, fn as ScheduledCallback, arg);
  }

  /** Time of the next entry, or `Infinity` if nothing is scheduled. */
  peek(): number {
    return this._queue.peekTime();
  }

  /**
   * Processes the next entry.
   * @throws {SimError} `E_SIM_EMPTY` if nothing is scheduled; rethrows the error of a failed event
   *   that nobody handled.
   */
  step(): void {
    if (this._queue.size === 0) throw new SimError("E_SIM_EMPTY", "no events scheduled");
    this._step();
  }

  /**
   * Runs the simulation:
   * - `run()` until no events are left;
   * - `run(time)` until the clock reaches `time` (events at exactly `time` are not processed;
   *   afterwards `now === time`);
   * - `run(event)` until `event` is processed, returning its value (throwing its error if it failed).
   * @returns the value of the `until` event, or `undefined`.
   * @throws {SimError} `E_SIM_ARGUMENT` if `until` is not after now; `E_SIM_UNTIL` if the events run
   *   out before the `until` event is triggered; the error of any failed event nobody handled.
   */
  run(until?: number | Event<unknown>): unknown {
    let target: Event<unknown> | null = null;
    if (until !== undefined) {
      if (until instanceof Event) {
        if (until.env !== this) throw argumentError("until", "an event of this environment", until);
        if (until._state === PROCESSED) return until._value;
        target = until;
        until._addCb(this._stopFn);
      } else {
        if (!(typeof until === "number" && until > this._now && until <= Number.MAX_VALUE)) {
          throw argumentError("until", `a finite number > now (${this._now})`, until);
        }
        target = new Event<undefined>(this);
        target._ok = true;
        target._state = TRIGGERED;
        target._cb0 = this._stopFn;
        this._queue.push(until, URGENT, target);
      }
    }
    this._until = target;
    this._stop = false;
    try {
      this._loop();
      if (!this._stop) {
        if (target === null) return undefined;
        throw new SimError(
          "E_SIM_UNTIL",
          `no scheduled events left but the until event ${target.toString()} was not triggered`,
        );
      }
    } finally {
      this._until = null;
      this._stop = false;
    }
    // Only a target can stop the loop.
    const done = target!;
    if (!done._ok) throw done._value;
    return done._value;
  }

  /**
   * Registers an observer called before each entry is processed.
   * @returns a function that unregisters it.
   */
  onStep(listener: StepListener): () => void {
    if (typeof listener !== "function") throw argumentError("listener", "a function", listener);
    const list = (this._listeners ??= []);
    list.push(listener);
    return () => {
      const current = this._listeners;
      if (current === null) return;
      const i = current.indexOf(listener);
      if (i >= 0) current.splice(i, 1);
      if (current.length === 0) this._listeners = null;
    };
  }

  /**
   * @internal The event loop: processes entries until the queue is empty or the until event stops
   * it. Kept free of try/finally (that is in {@link run}) and of calls it does not need per entry.
   */
  _loop(): void {
    const queue = this._queue;
    while (!this._stop && queue.size !== 0) {
      const item = queue.pop();
      this._now = queue.poppedTime;
      if (this._listeners !== null) this._notify(item);
      if (typeof item === "function") item(queue.poppedArg);
      else item._fire();
    }
  }

  /** @internal Pops and processes one entry; the caller checked the queue is not empty. */
  _step(): void {
    const queue = this._queue;
    const item = queue.pop();
    const arg = queue.poppedArg;
    this._now = queue.poppedTime;
    if (this._listeners !== null) this._notify(item);
    if (typeof item === "function") item(arg);
    else item._fire();
  }

  private _notify(item: QueueItem): void {
    const list = this._listeners!.slice();
    for (let i = 0; i < list.length; i++) list[i]!(this._now, item);
  }
}

function checkPriority(priority: number): void {
  if (!(Number.isInteger(priority) && priority >= 0 && priority <= MAX_PRIORITY)) {
    throw argumentError("priority", `an integer in [0, ${MAX_PRIORITY}]`, priority);
  }
}
