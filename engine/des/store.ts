/**
 * A store of discrete items with optional capacity: `put(item)` waits while it is full, `get()`
 * waits while it is empty and yields the oldest item (SimPy 4's `Store`).
 * @module
 */

import type { Environment } from "./environment.js";
import { argumentError } from "./errors.js";
import type { AnyResource } from "./base-resource.js";
import { BaseResource, GetEvent, PutEvent } from "./base-resource.js";
import { Fifo } from "./_fifo.js";

/** Request to put `item` in; succeeds once it is in the store. */
export class StorePut<T> extends PutEvent<undefined> {
  /** The item to put. */
  declare readonly item: T;

  constructor(store: Store<T>, item: T) {
    super(store as unknown as AnyResource);
    this.item = item;
  }
}

/** Request to take an item; succeeds with the item. */
export class StoreGet<T> extends GetEvent<T> {
  constructor(store: Store<T>) {
    super(store as unknown as AnyResource);
  }
}

/**
 * FIFO buffer of items.
 * @example
 * const mailbox = new Store<string>(env, 10);
 * env.process(function* () { yield mailbox.put("card #1"); });
 * env.process(function* () { const card = (yield mailbox.get()) as string; });
 */
export class Store<T = unknown> extends BaseResource<StorePut<T>, StoreGet<T>> {
  /** Maximum number of items (Infinity by default). */
  readonly capacity: number;
  private readonly _items = new Fifo<T>();

  /** @throws {SimError} `E_SIM_ARGUMENT` unless `capacity` is a positive integer or Infinity. */
  constructor(env: Environment, capacity = Infinity) {
    super(env);
    if (!((Number.isInteger(capacity) && capacity > 0) || capacity === Infinity)) {
      throw argumentError("capacity", "a positive integer or Infinity", capacity);
    }
    this.capacity = capacity;
  }

  /** Items in the store, oldest first (a copy). */
  get items(): T[] {
    return this._items.toArray();
  }

  /** Number of items in the store. */
  get size(): number {
    return this._items.length;
  }

  /** Puts `item` in, waiting while the store is full. */
  put(item: T): StorePut<T> {
    return this._submitPut(new StorePut(this, item));
  }

  /** Takes the oldest item, waiting while the store is empty. */
  get(): StoreGet<T> {
    return this._submitGet(new StoreGet(this));
  }

  protected _doPut(event: StorePut<T>): boolean {
    if (this._items.length < this.capacity) {
      this._items.push(event.item);
      event.succeed();
    }
    return false;
  }

  protected _doGet(event: StoreGet<T>): boolean {
    if (this._items.length > 0) event.succeed(this._items.shift());
    return false;
  }
}
