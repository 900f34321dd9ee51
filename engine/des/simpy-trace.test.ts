/**
 * A mixed model (resource with reneging, interrupts, store, container) whose trace was recorded from
 * SimPy 3.0.11 (Debian python3-simpy3) running the same model: engine/des/simpy-trace.py. Same
 * events, same order, same times.
 *
 * To regenerate SIMPY_TRACE: `apt-get install -y python3-simpy3`, then
 * `/usr/bin/python3 engine/des/simpy-trace.py` and paste its output into the array. When SimPy is
 * installed, the last test runs the script and checks the array still is its output.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Container, Environment, Interrupt, Resource, Store } from "./index.js";
import type { ProcessGenerator, Process, ConditionValue } from "./index.js";

type Entry = [string, string, number];

/** Output of engine/des/simpy-trace.py (SimPy 3.0.11), verbatim. */
const SIMPY_TRACE: Entry[] = [
  ["c0", "arrive", 0],
  ["c1", "arrive", 0],
  ["producer", "put item0", 0],
  ["c0", "start", 0],
  ["c1", "start", 0],
  ["c2", "arrive", 1],
  ["c3", "arrive", 1],
  ["filler", "level 1", 1.5],
  ["drainer", "got 5, level 1", 1.5],
  ["c4", "arrive", 2],
  ["c5", "arrive", 2],
  ["c1", "done", 2],
  ["consumer", "got item0", 2],
  ["c2", "reneged", 2],
  ["producer", "put item1", 2],
  ["c4", "reneged", 2.5],
  ["c6", "arrive", 3],
  ["worker", "tick", 3],
  ["c0", "done", 3],
  ["filler", "level 5", 3.0],
  ["c3", "start", 3],
  ["boss", "interrupt", 4],
  ["worker", "interrupted:call", 4],
  ["c3", "done", 4],
  ["consumer", "got item1", 4],
  ["c6", "reneged", 4],
  ["producer", "put item2", 4],
  ["c5", "start", 4],
  ["worker", "back", 4.5],
  ["filler", "level 3", 4.5],
  ["drainer", "got 6, level 3", 4.5],
  ["c5", "done", 5],
  ["consumer", "got item2", 6],
];

function model(): { log: Entry[]; env: Environment; worker: Process<string> } {
  const log: Entry[] = [];
  const env = new Environment();
  const counter = new Resource(env, 2);

  function* customer(name: string, arrive: number, service: number, patience: number): ProcessGenerator {
    yield env.timeout(arrive);
    log.push([name, "arrive", env.now]);
    const req = counter.request();
    const res = yield req.or(env.timeout(patience));
    if ((res as ConditionValue).has(req)) {
      log.push([name, "start", env.now]);
      yield env.timeout(service);
      counter.release(req);
      log.push([name, "done", env.now]);
    } else {
      req.cancel();
      log.push([name, "reneged", env.now]);
    }
  }
  const customers: [number, number, number][] = [
    [0, 3, 5],
    [0, 2, 5],
    [1, 2, 1],
    [1, 1, 4],
    [2, 2, 0.5],
    [2, 1, 10],
    [3, 1, 1],
  ];
  customers.forEach(([a, s, p], i) => env.process(customer(`c${i}`, a, s, p)));

  function* worker(): ProcessGenerator<string | undefined> {
    for (;;) {
      try {
        yield env.timeout(3);
        log.push(["worker", "tick", env.now]);
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        log.push(["worker", `interrupted:${String(e.cause)}`, env.now]);
        yield env.timeout(0.5);
        log.push(["worker", "back", env.now]);
        return "ok";
      }
    }
  }
  const w = env.process(worker) as Process<string>;
  env.process(function* boss() {
    yield env.timeout(4);
    w.interrupt("call");
    log.push(["boss", "interrupt", env.now]);
  });

  const store = new Store<string>(env, 1);
  env.process(function* producer() {
    for (let i = 0; i < 3; i++) {
      yield store.put(`item${i}`);
      log.push(["producer", `put item${i}`, env.now]);
    }
  });
  env.process(function* consumer() {
    for (let i = 0; i < 3; i++) {
      yield env.timeout(2);
      const item = (yield store.get()) as string;
      log.push(["consumer", `got ${item}`, env.now]);
    }
  });

  const tank = new Container(env, 10, 2);
  env.process(function* filler() {
    for (let i = 0; i < 3; i++) {
      yield env.timeout(1.5);
      yield tank.put(4);
      log.push(["filler", `level ${tank.level}`, env.now]);
    }
  });
  env.process(function* drainer() {
    yield tank.get(5);
    log.push(["drainer", `got 5, level ${tank.level}`, env.now]);
    yield tank.get(6);
    log.push(["drainer", `got 6, level ${tank.level}`, env.now]);
  });
  return { log, env, worker: w };
}

describe("trace equivalence with SimPy", () => {
  it("reproduces SimPy's trace event for event", () => {
    const { log, env, worker } = model();
    env.run(20);
    expect(log).toEqual(SIMPY_TRACE);
    expect(env.now).toBe(20);
    expect(worker.value).toBe("ok");
  });

  it("gives the identical trace on a second run (determinism)", () => {
    const a = model();
    a.env.run(20);
    const b = model();
    b.env.run(20);
    expect(b.log).toEqual(a.log);
    expect(b.env.eventsProcessed).toBe(a.env.eventsProcessed);
  });

  const python = "/usr/bin/python3";
  const hasSimpy = spawnSync(python, ["-c", "import simpy"], { stdio: "ignore" }).status === 0;

  it.skipIf(!hasSimpy)("holds what engine/des/simpy-trace.py prints when run on SimPy", () => {
    const script = fileURLToPath(new URL("./simpy-trace.py", import.meta.url));
    const run = spawnSync(python, [script, "--json"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(SIMPY_TRACE);
  });
});
