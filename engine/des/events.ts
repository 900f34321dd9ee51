/**
 * Events: the one thing processes wait for. Follows SimPy 4's `simpy.events`: an event is pending,
 * then *triggered* (it has a value and sits in the event queue), then *processed* (its callbacks ran).
 * A failed event that no callback *defused* stops the simulation by throwing its error from
 * {@link Environment.step}. {@link Timeout} is an event triggered at creation with a delay;
 * {@link Condition} ({@link AllOf}, {@link AnyOf}) waits on several events.
 *
 * Callbacks run in the order they were added. The first one is stored inline so the common case —
 * one process waiting — allocates no array.
 *
 * Event types are plain classes (`class Timeout extends Event`). Their fields are `declare`d and
 * assigned in the constructors rather than given class-field initialisers: on Node 20 (V8 11.3)
 * initialised fields made the compiled hold and M/M/1 benchmark models 1.5–4× slower. Benchmarks time
 * the compiled output (bench/README.md); under tsx, esbuild's keepNames makes V8 construct derived
 * classes on a slow path, so kernel timings taken under tsx are not representative.
 * @module
 */

import type { Environment } from "./environment.js";
import { argumentError, describe, SimError } from "./errors.js";
import { NORMAL } from "./event-queue.js";

/** Called with the event when it is processed. */
export type EventCallback = (event: Event<unknown>) => void;

/** @internal A process waiting on an event: resumed with it when it is processed. */
export interface Waiter {
  _resume(event: Event<unknown>): void;
}

/**
 * @internal An entry of an event's callback list: a function, or a waiting process stored as
 * itself — one object fewer to load per event than a resume closure per process.
 */
export type CallbackEntry = EventCallback | Waiter;

function runEntry(entry: CallbackEntry, event: Event<unknown>): void {
  if (typeof entry === "function") entry(event);
  else entry._resume(event);
}

/** @internal Lifecycle states. */
export const PENDING = 0;
/** @internal */
export const TRIGGERED = 1;
/** @internal */
export const PROCESSED = 2;
/** @internal Mask of the state bits of {@link Event._flags}. */
export const STATE = 3;
/** @internal Flag: the event succeeded. */
export const OK = 4;
/** @internal Flag: the event's failure was handled. */
export const DEFUSED = 8;

/**
 * An event that may happen at some point in simulated time.
 * @typeParam T the value a process receives when it resumes from `yield event`.
 * @example
 * const done = env.event<string>();
 * env.schedule(3, () => done.succeed("ready"));
 * env.run(done); // → "ready", env.now === 3
 */
export class Event<T = unknown> {
  /** The environment this event belongs to. */
  declare readonly env: Environment;
  /** @internal Value, or the error of a failed event. */
  declare _value: unknown;
  /**
   * @internal The state (PENDING, TRIGGERED, PROCESSED) in the low two bits, then {@link OK} and
   * {@link DEFUSED}: one field instead of three makes every event 16 bytes smaller.
   */
  declare _flags: number;
  /** @internal First callback, inline. */
  declare _cb0: CallbackEntry | null;
  /** @internal Further callbacks, in order. */
  declare _cbs: CallbackEntry[] | null;

  constructor(env: Environment) {
    this.env = env;
    this._value = undefined;
    this._flags = PENDING;
    this._cb0 = null;
    this._cbs = null;
  }

  /** @internal One of PENDING, TRIGGERED, PROCESSED. */
  get _state(): number {
    return this._flags & STATE;
  }
  set _state(state: number) {
    this._flags = (this._flags & ~STATE) | state;
  }

  /** @internal True if the event succeeded (meaningful once triggered). */
  get _ok(): boolean {
    return (this._flags & OK) !== 0;
  }
  set _ok(ok: boolean) {
    this._flags = ok ? this._flags | OK : this._flags & ~OK;
  }

  /** @internal True if a failure has been handled. */
  get _defused(): boolean {
    return (this._flags & DEFUSED) !== 0;
  }
  set _defused(defused: boolean) {
    this._flags = defused ? this._flags | DEFUSED : this._flags & ~DEFUSED;
  }

  /** True once the event has a value and is scheduled (or already processed). */
  get triggered(): boolean {
    return this._state !== PENDING;
  }

  /** True once the event's callbacks have run. */
  get processed(): boolean {
    return this._state === PROCESSED;
  }

  /**
   * True if the event succeeded.
   * @throws {SimError} `E_SIM_STATE` while the event is still pending.
   */
  get ok(): boolean {
    if (this._state === PENDING)
      throw new SimError("E_SIM_STATE", `value of ${this.toString()} is not yet available`);
    return this._ok;
  }

  /**
   * The event's value; for a failed event, its error (check {@link ok}).
   * @throws {SimError} `E_SIM_STATE` while the event is still pending.
   */
  get value(): T {
    if (this._state === PENDING)
      throw new SimError("E_SIM_STATE", `value of ${this.toString()} is not yet available`);
    return this._value as T;
  }

  /** True if a failure of this event has been handled, so it will not stop the simulation. */
  get defused(): boolean {
    return this._defused;
  }
  set defused(value: boolean) {
    this._defused = value;
  }

  /**
   * Triggers the event successfully: it is scheduled now and waiters resume with `value`.
   * @returns this event, for chaining.
   * @throws {SimError} `E_SIM_STATE` if the event was already triggered.
   */
  succeed(value?: T): this {
    if (this._state !== PENDING)
      throw new SimError("E_SIM_STATE", `${this.toString()} has already been triggered`);
    this._ok = true;
    this._value = value;
    this._state = TRIGGERED;
    this.env._queue.push(this.env._now, NORMAL, this);
    return this;
  }

  /**
   * Triggers the event as failed: waiting processes get `error` thrown in. If nobody handles it, the
   * simulation stops with `error`.
   * @returns this event, for chaining.
   * @throws {SimError} `E_SIM_ARGUMENT` if `error` is not an Error, `E_SIM_STATE` if already triggered.
   */
  fail(error: Error): this {
    if (!(error instanceof Error)) throw argumentError("error", "an Error", error);
    if (this._state !== PENDING)
      throw new SimError("E_SIM_STATE", `${this.toString()} has already been triggered`);
    this._ok = false;
    this._value = error;
    this._state = TRIGGERED;
    this.env._queue.push(this.env._now, NORMAL, this);
    return this;
  }

  /**
   * Triggers this event with the outcome of `other` (which must be triggered). Handy as a callback:
   * `other.addCallback((e) => mine.trigger(e))`.
   */
  trigger(other: Event<unknown>): void {
    if (other._state === PENDING)
      throw new SimError("E_SIM_STATE", `${other.toString()} has not been triggered`);
    if (this._state !== PENDING)
      throw new SimError("E_SIM_STATE", `${this.toString()} has already been triggered`);
    this._ok = other._ok;
    this._value = other._value;
    this._state = TRIGGERED;
    this.env._queue.push(this.env._now, NORMAL, this);
  }

  /**
   * Adds a callback run when the event is processed, after those added before it.
   * @throws {SimError} `E_SIM_STATE` if the event has already been processed.
   */
  addCallback(callback: EventCallback): void {
    if (this._state === PROCESSED)
      throw new SimError("E_SIM_STATE", `${this.toString()} has already been processed`);
    this._addCb(callback);
  }

  /** Removes the first occurrence of `callback`. @returns whether it was found. */
  removeCallback(callback: EventCallback): boolean {
    return this._removeCb(callback);
  }

  /** @internal Removes the first occurrence of `callback` (a function or a waiting process). */
  _removeCb(callback: CallbackEntry): boolean {
    if (this._cb0 === callback) {
      const rest = this._cbs;
      this._cb0 = rest !== null && rest.length > 0 ? rest.shift()! : null;
      return true;
    }
    const rest = this._cbs;
    if (rest === null) return false;
    const i = rest.indexOf(callback);
    if (i < 0) return false;
    rest.splice(i, 1);
    return true;
  }

  /** True if `callback` is registered and not yet run. */
  hasCallback(callback: EventCallback): boolean {
    return this._cb0 === callback || (this._cbs !== null && this._cbs.includes(callback));
  }

  /** An event triggered when both this and `other` are (SimPy's `a & b`). */
  and(other: Event<unknown>): AllOf {
    return new AllOf(this.env, [this, other]);
  }

  /** An event triggered when this or `other` is (SimPy's `a | b`). */
  or(other: Event<unknown>): AnyOf {
    return new AnyOf(this.env, [this, other]);
  }

  toString(): string {
    return `${this.constructor.name}()`;
  }

  /** @internal Appends a callback; the caller has checked the event is not processed. */
  _addCb(callback: CallbackEntry): void {
    if (this._cb0 === null && this._cbs === null) this._cb0 = callback;
    else if (this._cbs === null) this._cbs = [callback];
    else this._cbs.push(callback);
  }

  /** @internal Runs the callbacks; throws the error of a failed event nobody defused. */
  _fire(): void {
    this._flags = (this._flags & ~STATE) | PROCESSED;
    const cb0 = this._cb0;
    if (this._cbs !== null) this._fireAll(cb0);
    else if (cb0 !== null) {
      // The common case — one callback — kept small enough to be inlined into the event loop.
      this._cb0 = null;
      if (typeof cb0 === "function") cb0(this);
      else cb0._resume(this);
    }
    if ((this._flags & (OK | DEFUSED)) === 0) throw this._value;
  }

  /** @internal Runs `cb0` (if any) and the further callbacks, in order. */
  private _fireAll(cb0: CallbackEntry | null): void {
    const rest = this._cbs!;
    this._cb0 = null;
    this._cbs = null;
    if (cb0 !== null) runEntry(cb0, this);
    for (let i = 0; i < rest.length; i++) runEntry(rest[i]!, this);
  }
}

/**
 * An event that succeeds `delay` time units after its creation (SimPy's `Timeout`).
 * @example
 * function* clerk(env: Environment) { yield env.timeout(1.5); }
 */
export class Timeout<T = undefined> extends Event<T> {
  /** The delay it was created with. */
  declare readonly delay: number;

  /** @throws {SimError} `E_SIM_ARGUMENT` if `delay` is negative, NaN or infinite. */
  constructor(env: Environment, delay: number, value?: T) {
    if (!(delay >= 0 && delay < Infinity)) throw argumentError("delay", "a finite number >= 0", delay);
    super(env);
    this._value = value;
    this._flags = TRIGGERED | OK;
    this.delay = delay;
    env._queue.push(env._now + delay, NORMAL, this);
  }

  override toString(): string {
    return `Timeout(${this.delay}${this._value === undefined ? "" : `, value=${describe(this._value)}`})`;
  }
}

/**
 * Value of a {@link Condition}: the events that had been processed when the condition was, in the
 * order they were given (nested conditions are flattened), with their values.
 */
export class ConditionValue {
  /** The processed events, in the order of the condition's event list. */
  readonly events: Event<unknown>[] = [];

  /** Whether `event` is among the processed events. */
  has(event: Event<unknown>): boolean {
    return this.events.includes(event);
  }

  /**
   * The value of `event`.
   * @throws {SimError} `E_SIM_ARGUMENT` if `event` is not in this value.
   */
  get<T>(event: Event<T>): T {
    if (!this.events.includes(event))
      throw argumentError("event", "one of the condition's processed events", event);
    return event._value as T;
  }

  /** The values, in event order. */
  values(): unknown[] {
    return this.events.map((e) => e._value);
  }

  /** A Map from event to value, in event order. */
  toMap(): Map<Event<unknown>, unknown> {
    return new Map(this.events.map((e) => [e, e._value]));
  }

  get size(): number {
    return this.events.length;
  }
}

/** Decides whether a condition is met, given its events and how many of them have been processed. */
export type ConditionEvaluator = (events: readonly Event<unknown>[], count: number) => boolean;

/**
 * An event triggered once `evaluate(events, processedCount)` is true; fails as soon as one of the
 * events fails (SimPy's `Condition`). Its value is a {@link ConditionValue}.
 */
export class Condition extends Event<ConditionValue> {
  /** @internal */
  declare readonly _events: readonly Event<unknown>[];
  /** @internal */
  declare readonly _evaluate: ConditionEvaluator;
  /** @internal Events processed so far. */
  declare _count: number;
  /** @internal Bound {@link Condition._check}, registered on every pending event. */
  declare readonly _checkFn: EventCallback;

  /**
   * Checks the events and subscribes to the pending ones.
   * @throws {SimError} `E_SIM_ARGUMENT` if an event belongs to another environment.
   */
  constructor(env: Environment, evaluate: ConditionEvaluator, events: readonly Event<unknown>[]) {
    super(env);
    this._evaluate = evaluate;
    this._events = events.slice();
    this._count = 0;
    this._checkFn = (e) => this._check(e);
    if (this._events.length === 0) {
      this.succeed(new ConditionValue());
      return;
    }
    for (const e of this._events) {
      if (!(e instanceof Event) || e.env !== env)
        throw argumentError("events", "events of the same environment", e);
    }
    for (const e of this._events) {
      if (e._state === PROCESSED) this._check(e);
      else e._addCb(this._checkFn);
    }
    this._addCb((e) => this._buildValue(e));
  }

  /** The events this condition waits on. */
  get events(): readonly Event<unknown>[] {
    return this._events;
  }

  override toString(): string {
    return `${this.constructor.name}(${this._events.length} events)`;
  }

  /** @internal */
  _check(event: Event<unknown>): void {
    if (this._state !== PENDING) return;
    this._count++;
    if (!event._ok) {
      event._defused = true;
      this._ok = false;
      this._value = event._value;
      this._state = TRIGGERED;
      this.env._queue.push(this.env._now, NORMAL, this);
    } else if (this._evaluate(this._events, this._count)) {
      this.succeed();
    }
  }

  /** @internal */
  _buildValue(event: Event<unknown>): void {
    this._removeChecks();
    if (event._ok) {
      const value = new ConditionValue();
      this._populate(value);
      this._value = value;
    }
  }

  /** @internal */
  _populate(value: ConditionValue): void {
    for (const e of this._events) {
      if (e instanceof Condition) e._populate(value);
      else if (e._state === PROCESSED) value.events.push(e);
    }
  }

  /** @internal */
  _removeChecks(): void {
    for (const e of this._events) {
      e.removeCallback(this._checkFn);
      if (e instanceof Condition) e._removeChecks();
    }
  }

  /** Evaluator of {@link AllOf}: every event processed. */
  static allEvents(events: readonly Event<unknown>[], count: number): boolean {
    return events.length === count;
  }

  /** Evaluator of {@link AnyOf}: at least one event processed (or none given). */
  static anyEvents(events: readonly Event<unknown>[], count: number): boolean {
    return count > 0 || events.length === 0;
  }
}

/** Triggered when all `events` have succeeded; fails when any fails. */
export class AllOf extends Condition {
  constructor(env: Environment, events: readonly Event<unknown>[]) {
    super(env, Condition.allEvents, events);
  }
}

/** Triggered when any of `events` has succeeded; fails when one fails first. */
export class AnyOf extends Condition {
  constructor(env: Environment, events: readonly Event<unknown>[]) {
    super(env, Condition.anyEvents, events);
  }
}
