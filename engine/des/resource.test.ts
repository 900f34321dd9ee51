/**
 * A *resource* has a limited number of slots that are requested before and released after use
 * (counters at a municipal office). Scenarios and expected traces follow SimPy's own resource tests.
 */
import { describe, expect, it } from "vitest";
import { Environment, Interrupt, Resource } from "./index.js";
import type { ProcessGenerator, Request } from "./index.js";

describe("Resource", () => {
  it("serves one user at a time with capacity 1", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    const log: [string, number][] = [];
    function* user(name: string): ProcessGenerator {
      const req = res.request();
      yield req;
      expect(res.count).toBe(1);
      yield env.timeout(1);
      res.release(req);
      log.push([name, env.now]);
    }
    expect(res.capacity).toBe(1);
    expect(res.count).toBe(0);
    env.process(user("a"));
    env.process(user("b"));
    env.run();
    expect(log).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("grants up to capacity slots at once, FIFO", () => {
    const env = new Environment();
    const res = new Resource(env, 3);
    const log: [string, number][] = [];
    for (let i = 0; i < 9; i++) {
      env.process(function* () {
        const req = res.request();
        yield req;
        log.push([String(i), env.now]);
        yield env.timeout(1);
        res.release(req);
      });
    }
    env.run();
    expect(log).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => [String(i), Math.floor(i / 3)]));
  });

  it("does not let a process that releases and re-requests jump the queue", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    function* child(): ProcessGenerator<number[]> {
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const req = res.request();
        yield req;
        times.push(env.now);
        yield env.timeout(1);
        res.release(req);
      }
      return times;
    }
    const a = env.process(child());
    const b = env.process(child());
    env.run();
    expect(a.value).toEqual([0, 2, 4]);
    expect(b.value).toEqual([1, 3, 5]);
  });

  it("lets an interrupted waiter keep waiting for its request", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    let gotAt = -1;
    env.process(function* () {
      const req = res.request();
      yield req;
      yield env.timeout(1);
      res.release(req);
    });
    const victim = env.process(function* () {
      const req = res.request();
      try {
        yield req;
        throw new Error("should not have got the resource");
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        yield req;
        gotAt = env.now;
        res.release(req);
      }
    });
    env.process(function* () {
      victim.interrupt();
      yield env.timeout(0);
    });
    env.run();
    expect(gotAt).toBe(1);
  });

  it("release() of a waiting request withdraws it", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    const holder = res.request();
    const waiter = res.request();
    expect(res.queueLength).toBe(1);
    res.release(waiter);
    expect(res.queueLength).toBe(0);
    env.run();
    expect(waiter.triggered).toBe(false);
    expect(res.users).toEqual([holder]);
    expect(res.count).toBe(1);
  });

  it("serves lower priority numbers first, equal priorities FIFO", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    const got: Record<string, number> = {};
    function* user(name: string, delay: number, priority: number): ProcessGenerator {
      yield env.timeout(delay);
      const req = res.request({ priority });
      yield req;
      got[name] = env.now;
      yield env.timeout(5);
      res.release(req);
    }
    env.process(user("p2", 0, 2));
    env.process(user("p3a", 2, 3));
    env.process(user("p3b", 2, 3));
    env.process(user("p1", 4, 1));
    env.run();
    expect(got).toEqual({ p2: 0, p1: 5, p3a: 10, p3b: 15 });
  });

  it("exposes users, queue and the requesting process for observers", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    const procs = [0, 1, 2].map(() =>
      env.process(function* () {
        const req = res.request();
        yield req;
        yield env.timeout(1);
        res.release(req);
      }),
    );
    env.run(1);
    expect(res.users.map((r: Request) => r.proc)).toEqual(procs.slice(0, 1));
    expect(res.queue.map((r) => r.proc)).toEqual(procs.slice(1));
    expect(res.users[0]!.usageSince).toBe(0);
    env.run(2);
    expect(res.users.map((r) => r.proc)).toEqual(procs.slice(1, 2));
    expect(res.queue.map((r) => r.proc)).toEqual(procs.slice(2));
    expect(res.queueLength).toBe(1);
  });

  it("rejects bad capacities, priorities and foreign requests, naming the argument", () => {
    const env = new Environment();
    expect(() => new Resource(env, 0)).toThrow(/capacity must be a positive integer, got 0/);
    expect(() => new Resource(env, -1)).toThrow(/capacity/);
    expect(() => new Resource(env, NaN)).toThrow(/capacity must be a positive integer, got NaN/);
    expect(() => new Resource(env, 1.5)).toThrow(/capacity/);
    const res = new Resource(env, 1);
    expect(() => res.request({ priority: NaN })).toThrow(/priority must be a finite number, got NaN/);
    const other = new Resource(env, 1);
    expect(() => res.release(other.request())).toThrow(/request must be a request made on this resource/);
  });
});
