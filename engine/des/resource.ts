/**
 * A resource with `capacity` identical slots that processes request, use and release — counters,
 * clerks, machines (SimPy 4's `Resource`, plus the ordering of its `PriorityResource`). Requests
 * wait in FIFO order; a request made with a priority is served before those with a larger number
 * (ties stay FIFO). Preemption is not modelled.
 * @module
 */

import type { Environment } from "./environment.js";
import { argumentError } from "./errors.js";
import { BaseResource, GetEvent, PutEvent } from "./base-resource.js";

/** A request for one slot. Succeeds when granted; pass it to {@link Resource.release} when done. */
export class Request extends PutEvent<undefined> {
  declare readonly resource: Resource;
  /** Lower is served first; 0 by default. */
  declare readonly priority: number;
  /** Time the slot was granted; NaN while waiting. */
  declare usageSince: number;

  constructor(resource: Resource, priority: number) {
    super(resource);
    this.priority = priority;
    this.usageSince = NaN;
  }
}

/** Event of giving a slot back; succeeds at once. */
export class Release extends GetEvent<undefined> {
  declare readonly resource: Resource;
  /** The request whose slot is released. */
  declare readonly request: Request;

  constructor(resource: Resource, request: Request) {
    super(resource);
    this.request = request;
  }
}

/**
 * `capacity` slots shared by processes.
 * @example
 * const counter = new Resource(env, 2);
 * env.process(function* () {
 *   const req = counter.request();
 *   yield req;                 // wait for a free slot
 *   yield env.timeout(0.25);   // serve
 *   counter.release(req);
 * });
 */
export class Resource extends BaseResource<Request, Release> {
  /** Number of slots. */
  readonly capacity: number;
  private readonly _users: Request[] = [];

  /** @throws {SimError} `E_SIM_ARGUMENT` unless `capacity` is a positive integer. */
  constructor(env: Environment, capacity = 1) {
    super(env);
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw argumentError("capacity", "a positive integer", capacity);
    }
    this.capacity = capacity;
  }

  /** Slots in use. */
  get count(): number {
    return this._users.length;
  }

  /** Requests holding a slot, in grant order. */
  get users(): readonly Request[] {
    return this._users;
  }

  /** Requests waiting, in service order (a copy). */
  get queue(): Request[] {
    return this._putQueue.toArray();
  }

  /** Number of requests waiting. */
  get queueLength(): number {
    return this._putQueue.length;
  }

  /**
   * Asks for a slot.
   * @param options.priority lower is served first (default 0); equal priorities are FIFO.
   * @throws {SimError} `E_SIM_ARGUMENT` if the priority is not a finite number.
   */
  request(options?: { priority?: number }): Request {
    const priority = options?.priority ?? 0;
    if (!Number.isFinite(priority)) throw argumentError("priority", "a finite number", priority);
    return this._submitPut(new Request(this, priority));
  }

  /**
   * Gives the slot of `request` back (or withdraws it if still waiting). The next waiting request is
   * granted when the returned event is processed, at the same time.
   */
  release(request: Request): Release {
    if (!(request instanceof Request) || request.resource !== this) {
      throw argumentError("request", "a request made on this resource", request);
    }
    request.cancel();
    return this._submitGet(new Release(this, request));
  }

  protected override _enqueuePut(event: Request): void {
    const queue = this._putQueue;
    let i = queue.length;
    while (i > 0 && queue.at(i - 1).priority > event.priority) i--;
    queue.insert(i, event);
  }

  protected _doPut(event: Request): boolean {
    if (this._users.length < this.capacity) {
      this._users.push(event);
      event.usageSince = this.env._now;
      event.succeed();
    }
    return false;
  }

  protected _doGet(event: Release): boolean {
    const i = this._users.indexOf(event.request);
    if (i >= 0) this._users.splice(i, 1);
    event.succeed();
    return false;
  }
}
