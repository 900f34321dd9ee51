/**
 * The models the DES benchmark times, on engine/des — the same models bench/simpy_hold.py runs on
 * SimPy, with the same sizes (DESIGN.md §8: same work on both sides):
 *
 * - {@link holdProcess}: the classic hold model — `processes` generator processes, each looping
 *   `yield env.timeout(Exp(1))` until `total` timeouts have been created in all.
 * - {@link holdCallback}: the same model without generators: each step builds a Timeout event and
 *   adds a callback that builds the next one — exactly what SimPy's counterpart does
 *   (`timeout(d).callbacks.append(tick)`), so both sides create one event object per step;
 * - {@link holdSchedule}: the same model on our bare-callback fast path (`env.schedule`, no event
 *   object at all); SimPy has no such path, so it is a plain figure without a reference.
 * - {@link mm1}: an M/M/1 queue (λ = 0.9, μ = 1) with a Resource; the count is customers served.
 *
 * Each returns the work done and the kernel's event count; inputs are drawn from the project's
 * mulberry32 (the kernel itself draws no random numbers).
 * @module
 */

import { Environment, Resource } from "../engine/des/index.js";
import type { ProcessGenerator } from "../engine/des/index.js";
import { mulberry32 } from "../engine/random/small-prng.js";

/** Work done by one model run. */
export interface ModelRun {
  /** Timeouts or callbacks created (hold), customers served (M/M/1). */
  count: number;
  /** Entries the kernel processed. */
  events: number;
}

/** Hold model with generator processes; `count` is the number of timeouts. */
export function holdProcess(processes: number, total: number, seed: number): ModelRun {
  const env = new Environment(0, { initialCapacity: processes * 2 });
  const rnd = mulberry32(seed);
  let count = 0;
  function* proc(): ProcessGenerator {
    while (count < total) {
      count++;
      yield env.timeout(-Math.log(1 - rnd()));
    }
  }
  for (let i = 0; i < processes; i++) env.process(proc());
  env.run();
  return { count, events: env.eventsProcessed };
}

/** Hold model with Timeout events and callbacks; `count` is the number of timeouts created. */
export function holdCallback(processes: number, total: number, seed: number): ModelRun {
  const env = new Environment(0, { initialCapacity: processes * 2 });
  const rnd = mulberry32(seed);
  let count = 0;
  const tick = (): void => {
    if (count < total) {
      count++;
      env.timeout(-Math.log(1 - rnd())).addCallback(tick);
    }
  };
  for (let i = 0; i < processes; i++) env.timeout(0).addCallback(tick);
  env.run();
  return { count, events: env.eventsProcessed };
}

/** Hold model on the bare-callback fast path; `count` is the number of callbacks scheduled. */
export function holdSchedule(processes: number, total: number, seed: number): ModelRun {
  const env = new Environment(0, { initialCapacity: processes * 2 });
  const rnd = mulberry32(seed);
  let count = 0;
  const tick = (): void => {
    if (count < total) {
      count++;
      env.schedule(-Math.log(1 - rnd()), tick);
    }
  };
  for (let i = 0; i < processes; i++) env.schedule(0, tick);
  env.run();
  return { count, events: env.eventsProcessed };
}

/** M/M/1 with a Resource; `count` is the number of customers served. */
export function mm1(customers: number, seed: number, lambda = 0.9, mu = 1): ModelRun {
  const env = new Environment();
  const rnd = mulberry32(seed);
  const server = new Resource(env, 1);
  let done = 0;
  function* customer(): ProcessGenerator {
    const req = server.request();
    yield req;
    yield env.timeout(-Math.log(1 - rnd()) / mu);
    server.release(req);
    done++;
  }
  env.process(function* source() {
    for (let i = 0; i < customers; i++) {
      yield env.timeout(-Math.log(1 - rnd()) / lambda);
      env.process(customer());
    }
  });
  env.run();
  return { count: done, events: env.eventsProcessed };
}
