#!/usr/bin/env python3
"""Reference for bench/des-kernel.ts: the same models in SimPy, measured the same way.

Run with Debian's python3-simpy3 (/usr/bin/python3). Prints one JSON object on stdout:
{"mode", "processes", "events", "seconds", "wall", "rate", "simpy", "python"} where rate is events
(or customers for mm1) per CPU second of this process (`seconds`; `wall` is the wall-clock time of
the same run), best of --repeat runs. CPU time because the machine is shared: it does not count the
time this process waits for a core.

Modes:
  process   hold model: N generator processes, each looping `yield env.timeout(expovariate(1))`
            until TOTAL timeouts have been created in all.
  callback  the same model without generators: each timeout's callback creates the next timeout
            (the fastest way to drive SimPy, the counterpart of our env.schedule fast path).
  mm1       M/M/1 queue with a Resource (lambda=0.9, mu=1), rate in customers per second.
"""

import argparse
import json
import platform
import random
import sys
import time

import simpy


def hold_process(n, total, seed):
    env = simpy.Environment()
    rnd = random.Random(seed)
    expo = rnd.expovariate
    count = [0]

    def proc(env):
        timeout = env.timeout
        while count[0] < total:
            count[0] += 1
            yield timeout(expo(1.0))

    for _ in range(n):
        env.process(proc(env))
    t0, w0 = time.process_time(), time.perf_counter()
    env.run()
    return count[0], time.process_time() - t0, time.perf_counter() - w0


def hold_callback(n, total, seed):
    env = simpy.Environment()
    rnd = random.Random(seed)
    expo = rnd.expovariate
    timeout = env.timeout
    count = [0]

    def tick(_event):
        if count[0] < total:
            count[0] += 1
            timeout(expo(1.0)).callbacks.append(tick)

    for _ in range(n):
        timeout(0).callbacks.append(tick)
    t0, w0 = time.process_time(), time.perf_counter()
    env.run()
    return count[0], time.process_time() - t0, time.perf_counter() - w0


def mm1(customers, seed, lam=0.9, mu=1.0):
    env = simpy.Environment()
    rnd = random.Random(seed)
    server = simpy.Resource(env, 1)
    done = [0]

    def customer(env):
        req = server.request()
        yield req
        yield env.timeout(rnd.expovariate(mu))
        server.release(req)
        done[0] += 1

    def source(env):
        for _ in range(customers):
            yield env.timeout(rnd.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    t0, w0 = time.process_time(), time.perf_counter()
    env.run()
    return done[0], time.process_time() - t0, time.perf_counter() - w0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["process", "callback", "mm1"], default="process")
    ap.add_argument("--processes", type=int, default=1000)
    ap.add_argument("--events", type=int, default=200000, help="timeouts (hold) or customers (mm1)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    best = None
    for r in range(a.repeat):
        if a.mode == "process":
            count, secs, wall = hold_process(a.processes, a.events, a.seed + r)
        elif a.mode == "callback":
            count, secs, wall = hold_callback(a.processes, a.events, a.seed + r)
        else:
            count, secs, wall = mm1(a.events, a.seed + r)
        print("simpy %s run %d: %d in %.3f s CPU (%.3f s wall)" % (a.mode, r + 1, count, secs, wall), file=sys.stderr)
        if best is None or secs < best[1]:
            best = (count, secs, wall)
    count, secs, wall = best
    print(json.dumps({
        "mode": a.mode,
        "processes": a.processes,
        "events": count,
        "seconds": secs,
        "wall": wall,
        "rate": count / secs,
        "simpy": simpy.__version__,
        "python": platform.python_version(),
    }))


if __name__ == "__main__":
    main()
