import { describe, expect, it } from "vitest";
import { Environment, Interrupt, SimError } from "./index.js";
import type { ProcessGenerator, Process } from "./index.js";

describe("Process", () => {
  it("resumes with the value of each yielded event and ends with the return value", () => {
    const env = new Environment();
    const log: [string, number, unknown][] = [];
    const p = env.process(function* clerk() {
      const v = yield env.timeout(2, "two");
      log.push(["clerk", env.now, v]);
      const w = yield env.timeout(1.5, 42);
      log.push(["clerk", env.now, w]);
      return "done";
    });
    expect(p.name).toBe("clerk");
    expect(p.isAlive).toBe(true);
    env.run();
    expect(log).toEqual([
      ["clerk", 2, "two"],
      ["clerk", 3.5, 42],
    ]);
    expect(p.isAlive).toBe(false);
    expect(p.value).toBe("done");
    expect(p.ok).toBe(true);
  });

  it("accepts a generator object as well as a generator function", () => {
    const env = new Environment();
    function* g(n: number): ProcessGenerator<number> {
      yield env.timeout(n);
      return n * 2;
    }
    const p = env.process(g(3), "g3");
    expect(env.run(p)).toBe(6);
    expect(p.toString()).toBe("Process(g3)");
  });

  it("resumes generators of many closures (one hidden class each) and hand-written iterators alike", () => {
    const env = new Environment();
    const ends: [string, number][] = [];
    // A fresh generator function per process, as models that build them per run do.
    for (let i = 0; i < 6; i++) {
      const make = function* (): ProcessGenerator<number> {
        yield env.timeout(i + 1);
        yield env.timeout(0.5);
        ends.push([`gen${i}`, env.now]);
        return i;
      };
      env.process(make);
    }
    // An object with next/throw that is not a generator: resumed through its own next.
    let step = 0;
    const iterator = {
      next(): IteratorResult<ReturnType<Environment["timeout"]>, string> {
        step++;
        if (step <= 2) return { value: env.timeout(2), done: false };
        ends.push(["iterator", env.now]);
        return { value: "it", done: true };
      },
      throw(e: unknown): never {
        throw e;
      },
    };
    const p = env.process(iterator as unknown as ProcessGenerator<string>, "iterator");
    env.run();
    expect(p.value).toBe("it");
    expect(ends).toEqual([
      ["gen0", 1.5],
      ["gen1", 2.5],
      ["gen2", 3.5],
      ["iterator", 4],
      ["gen3", 4.5],
      ["gen4", 5.5],
      ["gen5", 6.5],
    ]);
  });

  it("processes wait for each other; a process is an event", () => {
    const env = new Environment();
    const log: [string, number][] = [];
    const child = env.process(function* () {
      yield env.timeout(5);
      return "child result";
    });
    env.process(function* parent() {
      const r = yield child;
      log.push([r as string, env.now]);
      // Yielding an already processed event continues at once.
      const again = yield child;
      log.push([again as string, env.now]);
    });
    env.run();
    expect(log).toEqual([
      ["child result", 5],
      ["child result", 5],
    ]);
  });

  it("starts processes at the current time in creation order, before ordinary events", () => {
    const env = new Environment();
    const log: string[] = [];
    env.timeout(0).addCallback(() => log.push("timeout(0)"));
    for (const name of ["a", "b", "c"]) {
      env.process(function* () {
        log.push(`${name} start`);
        yield env.timeout(1);
        log.push(`${name} end`);
      });
    }
    env.run();
    expect(log).toEqual(["a start", "b start", "c start", "timeout(0)", "a end", "b end", "c end"]);
  });

  it("breaks ties between equal times by scheduling order (seq), every run", () => {
    const trace = (): string[] => {
      const env = new Environment();
      const log: string[] = [];
      for (let i = 0; i < 20; i++) {
        env.process(function* () {
          for (let k = 0; k < 3; k++) {
            yield env.timeout(((i * 7) % 3) + 1);
            log.push(`${i}@${env.now}`);
          }
        });
      }
      env.run();
      return log;
    };
    const first = trace();
    expect(first.slice(0, 7)).toEqual(["0@1", "3@1", "6@1", "9@1", "12@1", "15@1", "18@1"]);
    expect(trace()).toEqual(first);
  });

  it("throws a failed event's error into the generator, which may catch it", () => {
    const env = new Environment();
    const ev = env.event();
    const log: string[] = [];
    env.process(function* () {
      try {
        yield ev;
      } catch (e) {
        log.push(`caught ${(e as Error).message} at ${env.now}`);
      }
      yield env.timeout(1);
      log.push(`continued at ${env.now}`);
    });
    env.schedule(2, () => ev.fail(new Error("broken")));
    env.run();
    expect(log).toEqual(["caught broken at 2", "continued at 3"]);
    expect(ev.defused).toBe(true);
  });

  it("a process that throws fails; waiting processes get the error; unwatched failures stop the run", () => {
    const env = new Environment();
    const bad = env.process(function* () {
      yield env.timeout(1);
      throw new RangeError("bad input");
    });
    const log: string[] = [];
    env.process(function* () {
      try {
        yield bad;
      } catch (e) {
        log.push((e as Error).message);
      }
    });
    env.run();
    expect(log).toEqual(["bad input"]);
    expect(bad.ok).toBe(false);
    expect(bad.value).toBeInstanceOf(RangeError);

    const env2 = new Environment();
    env2.process(function* () {
      yield env2.timeout(1);
      throw new RangeError("nobody listens");
    });
    expect(() => env2.run()).toThrow("nobody listens");
  });

  it("throws E_SIM_YIELD into a process that yields a non-event", () => {
    const env = new Environment();
    const log: string[] = [];
    env.process(function* () {
      try {
        yield 42 as never;
      } catch (e) {
        log.push((e as SimError).code);
      }
    });
    env.run();
    expect(log).toEqual(["E_SIM_YIELD"]);
    const other = new Environment();
    const p = env.process(function* () {
      yield other.timeout(1);
    });
    expect(() => env.run()).toThrow(/yielded an event of another environment/);
    expect(p.ok).toBe(false);
  });

  it("rejects what is not a generator", () => {
    const env = new Environment();
    expect(() => env.process((() => 5) as never)).toThrow(
      /generator must be a generator or a generator function/,
    );
    expect(() => env.process({} as never)).toThrow(SimError);
  });

  it("exposes the active process and the target", () => {
    const env = new Environment();
    let seen: Process<unknown> | null = null;
    const t = env.timeout(3);
    const p = env.process(function* () {
      seen = env.activeProcess;
      yield t;
    });
    env.step(); // start p
    expect(seen).toBe(p);
    expect(env.activeProcess).toBeNull();
    expect(p.target).toBe(t);
    env.run();
    expect(p.target).toBeNull();
  });
});

describe("interrupts", () => {
  it("throws an Interrupt with its cause into the process, which may carry on", () => {
    const env = new Environment();
    const log: [string, number, unknown][] = [];
    const victim = env.process(function* () {
      try {
        yield env.timeout(10);
      } catch (e) {
        expect(e).toBeInstanceOf(Interrupt);
        expect(e).toBeInstanceOf(SimError);
        log.push(["interrupted", env.now, (e as Interrupt).cause]);
        expect((e as Interrupt).code).toBe("E_SIM_INTERRUPT");
      }
      yield env.timeout(1);
      log.push(["resumed", env.now, null]);
    });
    env.process(function* () {
      yield env.timeout(3);
      victim.interrupt("outage");
    });
    env.run();
    expect(log).toEqual([
      ["interrupted", 3, "outage"],
      ["resumed", 4, null],
    ]);
    // The abandoned timeout still fires at 10 but resumes nobody.
    expect(env.now).toBe(10);
  });

  it("processes and callbacks waiting on one event: an interrupted one is removed, the rest resume once, in order", () => {
    // Waiting processes are stored in the event's callback list as themselves, among plain
    // callbacks; interrupting one must remove exactly that entry.
    const env = new Environment();
    const gate = env.event<string>();
    const log: string[] = [];
    const waiter = (name: string) =>
      env.process(function* () {
        try {
          const v = yield gate;
          log.push(`${name} got ${String(v)} at ${env.now}`);
        } catch (e) {
          log.push(`${name} interrupted at ${env.now}: ${String((e as Interrupt).cause)}`);
        }
      });
    const a = waiter("a");
    env.run(0.1); // a starts and waits on gate
    gate.addCallback(() => log.push("callback 1"));
    const b = waiter("b");
    const c = waiter("c");
    env.run(0.2);
    gate.addCallback(() => log.push("callback 2"));
    env.at(1, () => b.interrupt("leave"));
    env.at(2, () => gate.succeed("open"));
    env.run();
    // Registration order: a, callback 1, (b, removed), c, callback 2.
    expect(log).toEqual([
      "b interrupted at 1: leave",
      "a got open at 2",
      "callback 1",
      "c got open at 2",
      "callback 2",
    ]);
    expect([a.isAlive, b.isAlive, c.isAlive]).toEqual([false, false, false]);
    expect(gate.processed).toBe(true);
  });

  it("interrupts run before ordinary events at the same time", () => {
    const env = new Environment();
    const log: string[] = [];
    const victim = env.process(function* () {
      try {
        yield env.timeout(5);
        log.push("timeout");
      } catch {
        log.push("interrupt");
      }
    });
    env.schedule(5, () => victim.interrupt());
    env.run();
    // The timeout at 5 was scheduled first but the interrupt is URGENT.
    expect(log).toEqual(["interrupt"]);
  });

  it("an uncaught interrupt fails the process", () => {
    const env = new Environment();
    const p = env.process(function* () {
      yield env.timeout(5);
    });
    const watcher = env.process(function* () {
      try {
        yield p;
      } catch (e) {
        return e instanceof Interrupt ? `died: ${String(e.cause)}` : "other";
      }
      return "survived";
    });
    env.schedule(1, () => p.interrupt("kill"));
    env.run();
    expect(watcher.value).toBe("died: kill");
  });

  it("can interrupt a process that has not started yet", () => {
    const env = new Environment();
    const p = env.process(function* () {
      yield env.timeout(1);
    });
    p.interrupt("early");
    p.defused = true;
    env.run();
    expect(p.ok).toBe(false);
    expect(p.value).toBeInstanceOf(Interrupt);
  });

  it("refuses to interrupt a finished process or itself", () => {
    const env = new Environment();
    const p = env.process(function* () {
      yield env.timeout(1);
    });
    env.run();
    expect(() => p.interrupt()).toThrow(/has terminated and cannot be interrupted/);
    const self: { p?: Process<unknown> } = {};
    self.p = env.process(function* () {
      yield env.timeout(1);
      self.p!.interrupt();
    });
    expect(() => env.run()).toThrow(/not allowed to interrupt itself/);
  });

  it("an interrupt of a process that ended meanwhile is ignored", () => {
    const env = new Environment();
    const log: string[] = [];
    const ev = env.event();
    const holder: { p?: Process<unknown> } = {};
    env.process(function* () {
      yield ev;
      holder.p!.interrupt(); // p is still alive: its resume is the next callback of ev
      log.push("interrupt sent");
    });
    holder.p = env.process(function* () {
      yield ev;
      log.push("p ends");
      return "clean";
    });
    env.schedule(1, () => ev.succeed());
    env.run();
    expect(log).toEqual(["interrupt sent", "p ends"]);
    expect(holder.p.ok).toBe(true);
    expect(holder.p.value).toBe("clean");
  });
});
