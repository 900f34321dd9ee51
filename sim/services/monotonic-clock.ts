/**
 * The process's monotonic clock in ms (`process.hrtime`): one clock for the main thread and every
 * pool thread, unlike `performance.now()`, whose origin is each thread's start. The verify pool's
 * timing split (hops to and from the pool thread) subtracts times taken on different threads.
 * @module
 */

/** Milliseconds on the process's monotonic clock (ns resolution). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
