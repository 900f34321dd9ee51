import { describe, expect, it } from "vitest";
import type { ConditionValue } from "./index.js";
import {
  AllOf,
  AnyOf,
  Condition,
  Container,
  ContainerGet,
  ContainerPut,
  Environment,
  Event,
  GetEvent,
  Process,
  PutEvent,
  Request,
  Resource,
  Store,
  StoreGet,
  StorePut,
  Timeout,
} from "./index.js";

describe("AllOf / AnyOf", () => {
  it("AllOf waits for every event and maps each to its value", () => {
    const env = new Environment();
    const a = env.timeout(1, "a");
    const b = env.timeout(3, "b");
    let at = -1;
    let value: ConditionValue | null = null;
    env.process(function* () {
      value = (yield env.allOf([a, b])) as ConditionValue;
      at = env.now;
    });
    env.run();
    expect(at).toBe(3);
    expect(value!.events).toEqual([a, b]);
    expect(value!.get(a)).toBe("a");
    expect(value!.values()).toEqual(["a", "b"]);
    expect([...value!.toMap().values()]).toEqual(["a", "b"]);
    expect(value!.size).toBe(2);
  });

  it("AnyOf triggers with the first event; the value holds events processed by then", () => {
    const env = new Environment();
    const slow = env.timeout(5, "slow");
    const fast = env.timeout(2, "fast");
    const log: [number, unknown[]][] = [];
    env.process(function* () {
      const v = (yield env.anyOf([slow, fast])) as ConditionValue;
      log.push([env.now, v.values()]);
      expect(v.has(fast)).toBe(true);
      expect(v.has(slow)).toBe(false);
      expect(() => v.get(slow)).toThrow(/event must be one of the condition's processed events/);
    });
    env.run();
    expect(log).toEqual([[2, ["fast"]]]);
  });

  it("and/or build conditions; nested conditions flatten into one value", () => {
    const env = new Environment();
    const t1 = env.timeout(1, 1);
    const t2 = env.timeout(2, 2);
    const t3 = env.timeout(3, 3);
    let v: ConditionValue | null = null;
    env.process(function* () {
      v = (yield t1.and(t2).or(t3)) as ConditionValue;
    });
    env.run();
    expect(v!.events).toEqual([t1, t2]);
  });

  it("is met at once by already processed events", () => {
    const env = new Environment();
    const t = env.timeout(1, "x");
    const log: number[] = [];
    env.process(function* () {
      yield env.timeout(2);
      const v = (yield env.allOf([t])) as ConditionValue;
      log.push(env.now, v.size);
    });
    env.run();
    expect(log).toEqual([2, 1]);
  });

  it("an empty list succeeds immediately for both", () => {
    const env = new Environment();
    const all = new AllOf(env, []);
    const any = new AnyOf(env, []);
    env.run();
    expect((all.value as ConditionValue).size).toBe(0);
    expect(any.ok).toBe(true);
  });

  it("fails as soon as one event fails, defusing it", () => {
    const env = new Environment();
    const bad = env.event();
    const later = env.timeout(5);
    const log: string[] = [];
    env.process(function* () {
      try {
        yield env.allOf([later, bad]);
      } catch (e) {
        log.push(`${(e as Error).message} at ${env.now}`);
      }
    });
    env.schedule(1, () => bad.fail(new Error("lost card")));
    env.run();
    expect(log).toEqual(["lost card at 1"]);
    expect(bad.defused).toBe(true);
  });

  it("custom evaluators: at least two of three", () => {
    const env = new Environment();
    const evs = [env.timeout(3), env.timeout(1), env.timeout(2)];
    const c = new Condition(env, (_events, count) => count >= 2, evs);
    env.run(c);
    expect(env.now).toBe(2);
  });

  it("removes its check callbacks from pending events once triggered", () => {
    const env = new Environment();
    const a = env.timeout(1);
    const b = env.event();
    env.run(env.anyOf([a, b]));
    // b is untouched: no leftover callbacks that would keep the condition alive.
    expect((b as unknown as { _cb0: unknown })._cb0).toBeNull();
  });

  it("rejects events of another environment", () => {
    const env = new Environment();
    const other = new Environment();
    expect(() => env.allOf([env.timeout(1), other.timeout(1)])).toThrow(
      /events must be events of the same environment/,
    );
  });
});

describe("Event", () => {
  it("event types form SimPy's class hierarchy for instanceof", () => {
    const env = new Environment();
    const res = new Resource(env, 1);
    const store = new Store(env);
    const tank = new Container(env);
    const p = env.process(function* () {});
    const cases: [unknown, (abstract new (...args: never[]) => unknown)[]][] = [
      [env.timeout(1), [Timeout, Event]],
      [p, [Process, Event]],
      [env.allOf([]), [AllOf, Condition, Event]],
      [env.anyOf([]), [AnyOf, Condition, Event]],
      [res.request(), [Request, PutEvent, Event]],
      [store.put(1), [StorePut, PutEvent, Event]],
      [store.get(), [StoreGet, GetEvent, Event]],
      [tank.put(1), [ContainerPut, PutEvent, Event]],
      [tank.get(1), [ContainerGet, GetEvent, Event]],
    ];
    for (const [obj, classes] of cases) {
      for (const cls of classes) expect(obj).toBeInstanceOf(cls);
    }
    expect(env.timeout(1)).not.toBeInstanceOf(Condition);
    expect(res.request().constructor.name).toBe("Request");
    expect(env.timeout(2, "x").toString()).toBe('Timeout(2, value="x")');
    expect(env.allOf([env.timeout(1)]).toString()).toBe("AllOf(1 events)");
    env.run();
  });

  it("cannot be triggered twice and has no value while pending", () => {
    const env = new Environment();
    const ev = env.event<number>();
    expect(ev.triggered).toBe(false);
    expect(() => ev.value).toThrow(expect.objectContaining({ code: "E_SIM_STATE" }) as Error);
    expect(() => ev.ok).toThrow(/not yet available/);
    ev.succeed(1);
    expect(ev.triggered).toBe(true);
    expect(ev.processed).toBe(false);
    expect(() => ev.succeed(2)).toThrow(/already been triggered/);
    expect(() => ev.fail(new Error("x"))).toThrow(/already been triggered/);
    env.run();
    expect(ev.processed).toBe(true);
    expect(() => ev.addCallback(() => {})).toThrow(/already been processed/);
  });

  it("fail() requires an Error", () => {
    const env = new Environment();
    expect(() => env.event().fail("nope" as unknown as Error)).toThrow(/error must be an Error, got "nope"/);
  });

  it("runs callbacks in registration order; removeCallback keeps the order of the rest", () => {
    const env = new Environment();
    const ev = env.event();
    const log: number[] = [];
    const cbs = [0, 1, 2, 3].map((i) => () => void log.push(i));
    for (const cb of cbs) ev.addCallback(cb);
    expect(ev.removeCallback(cbs[0]!)).toBe(true);
    expect(ev.removeCallback(cbs[2]!)).toBe(true);
    expect(ev.removeCallback(cbs[2]!)).toBe(false);
    ev.succeed();
    env.run();
    expect(log).toEqual([1, 3]);
  });

  it("trigger() copies another event's outcome", () => {
    const env = new Environment();
    const src = env.timeout(2, "payload");
    const dst = env.event<string>();
    src.addCallback((e) => dst.trigger(e));
    expect(() => env.event().trigger(env.event())).toThrow(/has not been triggered/);
    env.run();
    expect(dst.value).toBe("payload");
  });
});
