/**
 * Processes: generator functions that `yield` events and resume with each event's value (SimPy 4's
 * `Process`). A failed event is thrown into the generator instead. A process is itself an event,
 * triggered with the generator's return value (or failed with what it threw), so processes can wait
 * for each other. {@link Process.interrupt} throws an {@link Interrupt} into a waiting process.
 * @module
 */

import type { Environment } from "./environment.js";
import { describe, Interrupt, SimError } from "./errors.js";
import { NORMAL, URGENT } from "./event-queue.js";
import { Event, OK, PENDING, PROCESSED, STATE, TRIGGERED } from "./events.js";

/**
 * The generator behind a process: it yields events and is resumed with their values (typed
 * `unknown`, since the type of each yield depends on the event; cast at the use site).
 * @typeParam R the return value, which becomes the process's value.
 */
export type ProcessGenerator<R = void> = Generator<Event<unknown>, R, unknown>;

/**
 * A running generator, and the event that succeeds with its return value.
 * @example
 * const p = env.process(function* () {
 *   yield env.timeout(2);
 *   return "done";
 * });
 * env.run();
 * p.value; // "done"
 */
export class Process<R = unknown> extends Event<R> {
  /** A name for traces: the generator function's name, or the one given. */
  declare readonly name: string;
  declare private readonly _gen: ProcessGenerator<R>;
  /**
   * The generator's `next`, read once. Each closure of a generator function gives its generators
   * their own prototype, hence their own hidden class, so a model that builds its generator
   * functions per run makes `gen.next` a megamorphic lookup on every resume; a call through the
   * stored function is monomorphic.
   */
  declare private readonly _next: (v: unknown) => IteratorResult<Event<unknown>, R>;
  /** @internal The event the process waits for, or null while running, interrupted or finished. */
  declare _target: Event<unknown> | null;

  constructor(env: Environment, generator: ProcessGenerator<R>, name = "process") {
    super(env);
    this._gen = generator;
    this._next = generator.next;
    this.name = name;
    const start = new Event<undefined>(env);
    start._flags = TRIGGERED | OK;
    // The process itself is the callback: Event._fire calls its _resume.
    start._cb0 = this;
    env._queue.push(env._now, URGENT, start);
    this._target = start;
  }

  /** The event the process is waiting for; `null` if it is finished or being interrupted. */
  get target(): Event<unknown> | null {
    return this._target;
  }

  /** True until the generator has returned or thrown. */
  get isAlive(): boolean {
    return this._state === PENDING;
  }

  /**
   * Throws an {@link Interrupt} carrying `cause` into the process at the current time, before
   * ordinary events. The process stops waiting for its target (it may yield it again).
   * @throws {SimError} `E_SIM_STATE` if the process has finished or interrupts itself.
   */
  interrupt(cause?: unknown): void {
    if (this._state !== PENDING) {
      throw new SimError("E_SIM_STATE", `${this.toString()} has terminated and cannot be interrupted`);
    }
    if (this.env._activeProcess === this) {
      throw new SimError("E_SIM_STATE", "a process is not allowed to interrupt itself");
    }
    const ev = new Event<undefined>(this.env);
    ev._ok = false;
    ev._value = new Interrupt(cause);
    ev._defused = true;
    ev._state = TRIGGERED;
    ev._cb0 = (e) => {
      if (this._state !== PENDING) return;
      if (this._target !== null) this._target._removeCb(this);
      this._resume(e);
    };
    this.env._queue.push(this.env._now, URGENT, ev);
  }

  override toString(): string {
    return `Process(${this.name})`;
  }

  /** @internal Resumes the generator with `event`'s outcome until it waits on a pending event or ends. */
  _resume(event: Event<unknown>): void {
    const env = this.env;
    const gen = this._gen;
    env._activeProcess = this;
    this._target = null;
    for (;;) {
      let res: IteratorResult<Event<unknown>, R>;
      try {
        if ((event._flags & OK) !== 0) {
          res = this._next.call(gen, event._value);
        } else {
          event._defused = true;
          res = gen.throw(event._value);
        }
      } catch (error) {
        this._ok = false;
        this._value = error;
        this._state = TRIGGERED;
        env._queue.push(env._now, NORMAL, this);
        break;
      }
      if (res.done === true) {
        this._value = res.value;
        this._flags = (this._flags & ~STATE) | TRIGGERED | OK;
        env._queue.push(env._now, NORMAL, this);
        break;
      }
      const next = res.value;
      if (!(next instanceof Event) || next.env !== env) {
        event = invalidYield(env, this, next);
        continue;
      }
      if ((next._flags & STATE) !== PROCESSED) {
        next._addCb(this);
        this._target = next;
        break;
      }
      event = next;
    }
    env._activeProcess = null;
  }
}

/** A failed, unscheduled event that throws `E_SIM_YIELD` into the generator. */
function invalidYield(env: Environment, proc: Process<unknown>, value: unknown): Event<unknown> {
  const ev = new Event(env);
  ev._ok = false;
  ev._state = PROCESSED;
  const what = value instanceof Event ? "an event of another environment" : describe(value);
  ev._value = new SimError(
    "E_SIM_YIELD",
    `${proc.toString()} yielded ${what}; a process may only yield events`,
  );
  return ev;
}
