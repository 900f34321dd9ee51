/**
 * The template every shared resource follows (SimPy 4's `BaseResource`): a queue of pending *put*
 * events and one of pending *get* events. Creating a put (get) event queues it and retries the puts
 * (gets); when a put (get) event is processed, the gets (puts) are retried. Subclasses say what a
 * put or get does in {@link BaseResource._doPut} / {@link BaseResource._doGet}: trigger the event
 * when it can proceed, and return whether the next queued event should be tried too.
 * @module
 */

import type { Environment } from "./environment.js";
import type { EventCallback } from "./events.js";
import { Event, PENDING } from "./events.js";
import { Fifo } from "./_fifo.js";
import type { Process } from "./process.js";

/** Any resource, as seen from its events. */
export type AnyResource = BaseResource<PutEvent<unknown>, GetEvent<unknown>>;

/** A request to put something into a resource. Succeeds once done; yield it to wait. */
export class PutEvent<T = undefined> extends Event<T> {
  /** The resource it was made on. */
  declare readonly resource: AnyResource;
  /** The process that made the request, if any. */
  declare readonly proc: Process<unknown> | null;

  constructor(resource: AnyResource) {
    super(resource.env);
    this.resource = resource;
    this.proc = resource.env._activeProcess;
  }

  /** Withdraws the request if it has not been granted yet (e.g. after an interrupt). */
  cancel(): void {
    if (this._state === PENDING) this.resource._putQueue.remove(this);
  }
}

/** A request to get something from a resource. Succeeds once done; yield it to wait. */
export class GetEvent<T = unknown> extends Event<T> {
  /** The resource it was made on. */
  declare readonly resource: AnyResource;
  /** The process that made the request, if any. */
  declare readonly proc: Process<unknown> | null;

  constructor(resource: AnyResource) {
    super(resource.env);
    this.resource = resource;
    this.proc = resource.env._activeProcess;
  }

  /** Withdraws the request if it has not been granted yet. */
  cancel(): void {
    if (this._state === PENDING) this.resource._getQueue.remove(this);
  }
}

/** Abstract shared resource with put and get queues. */
export abstract class BaseResource<P extends PutEvent<unknown>, G extends GetEvent<unknown>> {
  /** The environment the resource lives in. */
  readonly env: Environment;
  /** @internal Pending put events, in service order. */
  readonly _putQueue = new Fifo<P>();
  /** @internal Pending get events, in service order. */
  readonly _getQueue = new Fifo<G>();
  private readonly _triggerPutFn: EventCallback;
  private readonly _triggerGetFn: EventCallback;

  protected constructor(env: Environment) {
    this.env = env;
    this._triggerPutFn = () => this._triggerPut();
    this._triggerGetFn = () => this._triggerGet();
  }

  /** Pending put requests. */
  get putQueueLength(): number {
    return this._putQueue.length;
  }

  /** Pending get requests. */
  get getQueueLength(): number {
    return this._getQueue.length;
  }

  /** Tries to perform `event`; triggers it on success. @returns whether to try the next one too. */
  protected abstract _doPut(event: P): boolean;
  /** Tries to perform `event`; triggers it on success. @returns whether to try the next one too. */
  protected abstract _doGet(event: G): boolean;

  /** Queues `event` (at the tail by default; override to order the queue). */
  protected _enqueuePut(event: P): void {
    this._putQueue.push(event);
  }

  /** Queues a new put event and serves the put queue. @returns `event`. */
  protected _submitPut<E extends P>(event: E): E {
    this._enqueuePut(event);
    event._addCb(this._triggerGetFn);
    this._triggerPut();
    return event;
  }

  /** Queues a new get event and serves the get queue. @returns `event`. */
  protected _submitGet<E extends G>(event: E): E {
    this._getQueue.push(event);
    event._addCb(this._triggerPutFn);
    this._triggerGet();
    return event;
  }

  /** Serves pending puts in order until one asks to stop. */
  protected _triggerPut(): void {
    const queue = this._putQueue;
    let i = 0;
    while (i < queue.length) {
      const event = queue.at(i);
      const proceed = this._doPut(event);
      if (event._state === PENDING) i++;
      else queue.removeAt(i);
      if (!proceed) break;
    }
  }

  /** Serves pending gets in order until one asks to stop. */
  protected _triggerGet(): void {
    const queue = this._getQueue;
    let i = 0;
    while (i < queue.length) {
      const event = queue.at(i);
      const proceed = this._doGet(event);
      if (event._state === PENDING) i++;
      else queue.removeAt(i);
      if (!proceed) break;
    }
  }
}
