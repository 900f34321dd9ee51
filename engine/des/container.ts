/**
 * A container of a continuous or discrete amount (fuel, blank cards, budget) with a capacity:
 * `put(amount)` waits until it fits, `get(amount)` until enough is there (SimPy 4's `Container`).
 * Requests are served in FIFO order; a request that cannot proceed blocks those behind it.
 * @module
 */

/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   event types are a class plus an interface of the same name; see the header of events.ts */

import type { Environment } from "./environment.js";
import { argumentError } from "./errors.js";
import { BaseResource, GetEvent, initRequest, PutEvent } from "./base-resource.js";
import { inherit } from "./events.js";

/** Request to add `amount`. */
export interface ContainerPut extends PutEvent<undefined> {}
export class ContainerPut {
  /** Amount to add. */
  declare readonly amount: number;

  constructor(container: Container, amount: number) {
    initRequest(this, container);
    this.amount = amount;
  }
}
inherit(ContainerPut, PutEvent);

/** Request to remove `amount`. */
export interface ContainerGet extends GetEvent<undefined> {}
export class ContainerGet {
  /** Amount to remove. */
  declare readonly amount: number;

  constructor(container: Container, amount: number) {
    initRequest(this, container);
    this.amount = amount;
  }
}
inherit(ContainerGet, GetEvent);

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
