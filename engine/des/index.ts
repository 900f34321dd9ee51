/**
 * The discrete-event simulation kernel: a SimPy 4-shaped API (environment, events, processes,
 * conditions, interrupts, resources, stores, containers) over a typed-array event list, plus a
 * callback fast path. Deterministic: same model, same trace.
 * @module
 */

export { Environment } from "./environment.js";
export type { QueueItem, ScheduledCallback, StepListener } from "./environment.js";
export { EventQueue, MAX_PRIORITY, NORMAL, URGENT } from "./event-queue.js";
export { AllOf, AnyOf, Condition, ConditionValue, Event, Timeout } from "./events.js";
export type { ConditionEvaluator, EventCallback } from "./events.js";
export { Process } from "./process.js";
export type { ProcessGenerator } from "./process.js";
export { BaseResource, GetEvent, PutEvent } from "./base-resource.js";
export { Release, Request, Resource } from "./resource.js";
export { Store, StoreGet, StorePut } from "./store.js";
export { Container, ContainerGet, ContainerPut } from "./container.js";
export { Interrupt, SimError } from "./errors.js";
export type { SimErrorCode } from "./errors.js";
