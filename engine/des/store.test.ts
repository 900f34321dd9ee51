/**
 * A *store* holds concrete items (cards in a municipality's safe): `put` blocks while it is full,
 * `get` blocks while it is empty, and items come out oldest first.
 */
import { describe, expect, it } from "vitest";
import { Environment, Store } from "./index.js";

describe("Store", () => {
  it("hands the same item from putter to getter", () => {
    const env = new Environment();
    const store = new Store<object>(env, 2);
    const item = {};
    let got: unknown = null;
    env.process(function* () {
      yield store.put(item);
    });
    env.process(function* () {
      got = yield store.get();
    });
    env.run();
    expect(got).toBe(item);
    expect(store.capacity).toBe(2);
    expect(new Store(env).capacity).toBe(Infinity);
  });

  it("blocks put while full and get while empty, FIFO", () => {
    const env = new Environment();
    const store = new Store<string>(env, 2);
    const log: [string, number][] = [];
    env.process(function* () {
      for (const x of ["a", "b", "c", "d"]) {
        yield store.put(x);
        log.push([`put ${x}`, env.now]);
      }
    });
    env.process(function* () {
      yield env.timeout(5);
      for (let i = 0; i < 4; i++) {
        const x = (yield store.get()) as string;
        log.push([`got ${x}`, env.now]);
        yield env.timeout(1);
      }
    });
    env.run();
    expect(log).toEqual([
      ["put a", 0],
      ["put b", 0],
      ["got a", 5],
      ["put c", 5],
      ["got b", 6],
      ["put d", 6],
      ["got c", 7],
      ["got d", 8],
    ]);
  });

  it("reports items and queue lengths; getters wait in order", () => {
    const env = new Environment();
    const store = new Store<number>(env, 1);
    const gets = [store.get(), store.get()];
    expect(store.getQueueLength).toBe(2);
    store.put(1);
    store.put(2);
    store.put(3);
    expect(store.items).toEqual([1]);
    env.run();
    expect(gets.map((g) => g.value)).toEqual([1, 2]);
    expect(store.items).toEqual([3]);
    expect(store.size).toBe(1);
    expect(store.putQueueLength).toBe(0);
  });

  it("a cancelled get never receives an item", () => {
    const env = new Environment();
    const store = new Store<number>(env);
    const g1 = store.get();
    const g2 = store.get();
    g1.cancel();
    store.put(7);
    env.run();
    expect(g1.triggered).toBe(false);
    expect(g2.value).toBe(7);
  });

  it("rejects bad capacities", () => {
    const env = new Environment();
    expect(() => new Store(env, 0)).toThrow(/capacity must be a positive integer or Infinity, got 0/);
    expect(() => new Store(env, NaN)).toThrow(/capacity/);
    expect(() => new Store(env, 2.5)).toThrow(/capacity/);
  });
});
