/**
 * A *container* holds an amount (blank card stock, budget). `put` and `get` block while the
 * container is too full or too empty; once they resume, the operation has happened.
 */
import { describe, expect, it } from "vitest";
import { Container, Environment } from "./index.js";
import type { ContainerGet, ContainerPut } from "./index.js";

describe("Container", () => {
  it("follows SimPy's putter/getter trace", () => {
    const env = new Environment();
    const buf = new Container(env, 2, 0);
    const log: [string, number][] = [];
    env.process(function* () {
      yield env.timeout(1);
      for (;;) {
        yield buf.put(2);
        log.push(["p", env.now]);
        yield env.timeout(1);
      }
    });
    env.process(function* () {
      yield buf.get(1);
      log.push(["g", env.now]);
      yield env.timeout(1);
      yield buf.get(1);
      log.push(["g", env.now]);
    });
    env.run(5);
    expect(log).toEqual([
      ["p", 1],
      ["g", 1],
      ["g", 2],
      ["p", 2],
    ]);
  });

  it("queues gets and puts as SimPy does", () => {
    const env = new Environment();
    const c = new Container(env, 1);
    const made: (ContainerGet | ContainerPut)[] = [];
    function proc(wait: number, what: "get" | "put"): void {
      env.process(function* () {
        yield env.timeout(wait);
        const ev = what === "get" ? c.get(1) : c.put(1);
        made.push(ev);
        yield ev;
      });
    }
    proc(0, "get");
    proc(1, "put");
    proc(1, "put");
    proc(1, "put");
    env.run(1);
    expect(c.putQueueLength).toBe(0);
    expect(c.getQueueLength).toBe(1);
    env.run(2);
    expect(c.putQueueLength).toBe(1);
    expect(c.getQueueLength).toBe(0);
    expect(c.level).toBe(1);
    expect(made).toHaveLength(4);
  });

  it("blocks a large get at the head of the queue (FIFO, no overtaking)", () => {
    const env = new Environment();
    const c = new Container(env, 100, 5);
    const big = c.get(10);
    const small = c.get(1);
    env.run();
    expect(big.triggered).toBe(false);
    expect(small.triggered).toBe(false);
    c.put(6);
    env.run();
    expect(big.processed).toBe(true);
    expect(small.processed).toBe(true);
    expect(c.level).toBe(0);
  });

  it("supports continuous amounts and infinite capacity by default", () => {
    const env = new Environment();
    const c = new Container(env);
    expect(c.capacity).toBe(Infinity);
    c.put(0.25);
    c.put(0.5);
    env.run();
    expect(c.level).toBe(0.75);
  });

  it("validates capacity, init and amounts, naming them", () => {
    const env = new Environment();
    expect(() => new Container(env, 2, 1)).not.toThrow();
    expect(() => new Container(env, 1, 1)).not.toThrow();
    expect(() => new Container(env, 1, 0)).not.toThrow();
    expect(() => new Container(env, 1, 2)).toThrow(
      /init must be a finite number in \[0, capacity=1\], got 2/,
    );
    expect(() => new Container(env, 0)).toThrow(/capacity must be a number > 0 \(or Infinity\), got 0/);
    expect(() => new Container(env, -1)).toThrow(/capacity/);
    expect(() => new Container(env, 1, -1)).toThrow(/init/);
    expect(() => new Container(env, NaN)).toThrow(/capacity/);
    const c = new Container(env);
    expect(() => c.get(-13)).toThrow(/amount must be a finite number > 0, got -13/);
    expect(() => c.put(-13)).toThrow(/amount must be a finite number > 0, got -13/);
    expect(() => c.put(0)).toThrow(/amount/);
    expect(() => c.put(NaN)).toThrow(/amount/);
  });
});
