import { describe, expect, it } from "vitest";
import { Environment, Event, NORMAL, SimError, URGENT } from "./index.js";
import type { QueueItem } from "./index.js";

describe("Environment", () => {
  it("starts at 0 or at the given time", () => {
    expect(new Environment().now).toBe(0);
    expect(new Environment(10).now).toBe(10);
  });

  it("run() processes everything; run(time) stops at time with now === time", () => {
    const env = new Environment();
    const log: number[] = [];
    env.process(function* () {
      for (;;) {
        yield env.timeout(1);
        log.push(env.now);
      }
    });
    env.run(3);
    expect(log).toEqual([1, 2]); // the event at exactly 3 is not processed
    expect(env.now).toBe(3);
    env.run(4.5);
    expect(log).toEqual([1, 2, 3, 4]);
    expect(env.now).toBe(4.5);
  });

  it("run(time) lands exactly on time even when now + (time - now) would round", () => {
    const env = new Environment(0.1);
    env.schedule(5, () => {});
    env.run(0.3);
    expect(env.now).toBe(0.3);
  });

  it("run(event) returns the event's value and stops right after it", () => {
    const env = new Environment();
    const done = env.event<string>();
    env.schedule(3, () => done.succeed("ready"));
    env.schedule(4, () => {
      throw new Error("must not run");
    });
    expect(env.run(done)).toBe("ready");
    expect(env.now).toBe(3);
    expect(env.run(done)).toBe("ready"); // already processed
  });

  it("run(event) throws E_SIM_UNTIL if the events run out first", () => {
    const env = new Environment();
    const never = env.event();
    env.schedule(1, () => {});
    expect(() => env.run(never)).toThrow(expect.objectContaining({ code: "E_SIM_UNTIL" }) as Error);
  });

  it("run(event) throws the error of a failed until event", () => {
    const env = new Environment();
    const ev = env.event();
    env.schedule(1, () => ev.fail(new RangeError("boom")));
    expect(() => env.run(ev)).toThrow(RangeError);
  });

  it("rejects an until that is not after now", () => {
    const env = new Environment(5);
    expect(() => env.run(5)).toThrow(/until must be a finite number > now \(5\), got 5/);
    expect(() => env.run(NaN)).toThrow(SimError);
    expect(() => env.run(Infinity)).toThrow(SimError);
  });

  it("step() and peek()", () => {
    const env = new Environment();
    expect(env.peek()).toBe(Infinity);
    expect(() => env.step()).toThrow(expect.objectContaining({ code: "E_SIM_EMPTY" }) as Error);
    env.timeout(2);
    env.timeout(1);
    expect(env.peek()).toBe(1);
    env.step();
    expect(env.now).toBe(1);
    expect(env.peek()).toBe(2);
    expect(env.eventsProcessed).toBe(1);
    expect(env.queueSize).toBe(1);
  });

  it("schedule/at fast path interleaves with events by (time, priority, seq)", () => {
    const env = new Environment();
    const log: string[] = [];
    env.schedule(1, (x) => log.push(`cb ${x}`), "a");
    env.timeout(1).addCallback(() => log.push("timeout"));
    env.at(1, (x) => log.push(`at ${x}`), "b");
    env.at(1, () => log.push("late"), undefined, 3);
    env.at(1, () => log.push("urgent"), undefined, URGENT);
    env.schedule(0.5, () => log.push("half"), undefined, NORMAL);
    env.run();
    expect(log).toEqual(["half", "urgent", "cb a", "timeout", "at b", "late"]);
  });

  it("a daily tick drives itself with no events or generators", () => {
    const env = new Environment();
    const days: number[] = [];
    const tick = (day: number): void => {
      days.push(env.now);
      if (day < 4) env.schedule(1, tick, day + 1);
    };
    env.schedule(0, tick, 0);
    env.run();
    expect(days).toEqual([0, 1, 2, 3, 4]);
    expect(env.eventsProcessed).toBe(5);
  });

  it("counts processed entries as they run, and not the ones left when run(until) stops", () => {
    const env = new Environment();
    const seen: number[] = [];
    for (let i = 1; i <= 5; i++) env.timeout(i).addCallback(() => seen.push(env.eventsProcessed));
    env.run(3.5); // timeouts at 1, 2, 3 run; 4 and 5 stay queued
    expect(seen).toEqual([1, 2, 3]);
    // The until event of run(3.5) is processed too.
    expect(env.eventsProcessed).toBe(4);
    expect(env.queueSize).toBe(2);
    env.run();
    expect(seen).toEqual([1, 2, 3, 5, 6]);
    expect(env.eventsProcessed).toBe(6);
  });

  it("validates fast-path arguments, naming them", () => {
    const env = new Environment(2);
    const fn = (): void => {};
    expect(() => env.schedule(-1, fn)).toThrow(/delay must be a finite number >= 0, got -1/);
    expect(() => env.schedule(NaN, fn)).toThrow(/delay must be a finite number >= 0, got NaN/);
    expect(() => env.schedule(Infinity, fn)).toThrow(/delay/);
    expect(() => env.at(1, fn)).toThrow(/time must be a finite number >= now \(2\), got 1/);
    expect(() => env.schedule(1, fn, undefined, 16)).toThrow(
      /priority must be an integer in \[0, 15\], got 16/,
    );
    expect(() => env.schedule(1, fn, undefined, 1.5)).toThrow(/priority/);
    expect(() => env.schedule(1, 42 as unknown as () => void)).toThrow(/fn must be a function, got 42/);
    expect(() => new Environment(NaN)).toThrow(/initialTime must be a finite number, got NaN/);
    expect(() => env.timeout(-0.5)).toThrow(expect.objectContaining({ code: "E_SIM_ARGUMENT" }) as Error);
  });

  it("onStep observers see every entry with the advanced clock, and can unsubscribe", () => {
    const env = new Environment();
    const seen: [number, string][] = [];
    const off = env.onStep((now: number, item: QueueItem) => {
      seen.push([now, typeof item === "function" ? "fn" : item.constructor.name]);
    });
    env.schedule(1, () => {});
    env.timeout(2);
    env.run();
    expect(seen).toEqual([
      [1, "fn"],
      [2, "Timeout"],
    ]);
    off();
    env.timeout(1);
    env.run();
    expect(seen).toHaveLength(2);
  });

  it("a failed event nobody handles stops the run with its error", () => {
    const env = new Environment();
    env.event().fail(new TypeError("unhandled"));
    expect(() => env.run()).toThrow(TypeError);
  });

  it("a defused failed event does not stop the run", () => {
    const env = new Environment();
    const ev = env.event().fail(new TypeError("handled"));
    ev.defused = true;
    env.run();
    expect(ev.processed).toBe(true);
    expect(ev.ok).toBe(false);
  });

  it("can run again after an until event and keeps time monotone", () => {
    const env = new Environment();
    const ev = new Event(env);
    env.schedule(2, () => ev.succeed(1));
    env.schedule(5, () => {});
    env.run(ev);
    expect(env.now).toBe(2);
    env.run();
    expect(env.now).toBe(5);
  });
});
