/**
 * A container of a continuous or discrete amount (fuel, blank cards, budget) with a capacity:
 * `put(amount)` waits until it fits, `get(amount)` until enough is there (SimPy 4's `Container`).
 * Requests are served in FIFO order; a request that cannot proceed blocks those behind it.
 * @module
 */

import type { Environment } from "./environment.js";
import { argumentError } from "./errors.js";
import { BaseResource, GetEvent, PutEvent } from "./base-resource.js";

/** Request to add `amount`. */
export class ContainerPut extends PutEvent<undefined> {
  /** Amount to add. */
  declare readonly amount: number;

  constructor(container: Container, amount: number) {
    super(container);
    this.amount = amount;
  }
}

/** Request to remove `amount`. */
export class ContainerGet extends GetEvent<undefined> {
  /** Amount to remove. */
  declare readonly amount: number;

  constructor(container: Container, amount: number) {
    super(container);
    this.amount = amount;
  }
}

/**
 * A level between 0 and `capacity`.
 * @example
 * const blanks = new Container(env, 1000, 200);
 * env.process(function* () { yield blanks.get(50); });
 */
export class Container extends BaseResource<ContainerPut, ContainerGet> {
  /** Maximum level (Infinity by default). */
  readonly capacity: number;
  private _level: number;

  /**
   * @throws {SimError} `E_SIM_ARGUMENT` unless `capacity` > 0 (Infinity allowed) and
   *   0 ≤ `init` ≤ `capacity`.
   */
  constructor(env: Environment, capacity = Infinity, init = 0) {
    super(env);
    if (!(capacity > 0)) throw argumentError("capacity", "a number > 0 (or Infinity)", capacity);
    if (!(init >= 0 && init <= capacity && init < Infinity)) {
      throw argumentError("init", `a finite number in [0, capacity=${capacity}]`, init);
    }
    this.capacity = capacity;
    this._level = init;
  }

  /** Current amount. */
  get level(): number {
    return this._level;
  }

  /**
   * Adds `amount`, waiting until it fits.
   * @throws {SimError} `E_SIM_ARGUMENT` unless `amount` is a finite number > 0.
   */
  put(amount: number): ContainerPut {
    if (!(amount > 0 && amount < Infinity)) throw argumentError("amount", "a finite number > 0", amount);
    return this._submitPut(new ContainerPut(this, amount));
  }

  /**
   * Removes `amount`, waiting until there is enough.
   * @throws {SimError} `E_SIM_ARGUMENT` unless `amount` is a finite number > 0.
   */
  get(amount: number): ContainerGet {
    if (!(amount > 0 && amount < Infinity)) throw argumentError("amount", "a finite number > 0", amount);
    return this._submitGet(new ContainerGet(this, amount));
  }

  protected _doPut(event: ContainerPut): boolean {
    if (this.capacity - this._level >= event.amount) {
      this._level += event.amount;
      event.succeed();
      return true;
    }
    return false;
  }

  protected _doGet(event: ContainerGet): boolean {
    if (this._level >= event.amount) {
      this._level -= event.amount;
      event.succeed();
      return true;
    }
    return false;
  }
}
