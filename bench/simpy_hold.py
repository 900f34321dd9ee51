#!/usr/bin/env python3
"""SimPy reference of bench/des-kernel.ts: the same models, the same sizes, timed the same way.

Run with Debian's python3-simpy3 (/usr/bin/python3). One untimed warm-up run, then --repeat timed
runs in this process (warm against our warm tinybench samples). Prints one JSON object on stdout:
{"mode", "processes", "events", "meanSeconds", "rme", "samples", "rate", "clock", "simpy", "python"}
where meanSeconds is the mean time of one run — CPU time of this process (time.process_time(), the
default, as bench/des-kernel.ts times ours) or wall-clock time with --clock wall — rme its relative
margin of error in percent (95 %, Student t, as tinybench computes it) and rate = events /
meanSeconds. Progress on stderr.

Modes:
  process   hold model: N generator processes, each looping `yield env.timeout(expovariate(1))`
            until TOTAL timeouts have been created in all.
  callback  the same model without generators: each timeout's callback creates the next timeout
            (one Timeout event per step, as bench/des-models.ts holdCallback does on our side).
  mm1       M/M/1 queue with a Resource (lambda=0.9, mu=1); events = customers served.
"""

import argparse
import json
import math
import platform
import random
import sys
import time

import simpy

# Two-sided 95 % Student t critical values by degrees of freedom (1..30); 1.96 beyond.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
       2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
       2.052, 2.048, 2.045, 2.042]


def hold_process(n, total, seed):
    env = simpy.Environment()
    expo = random.Random(seed).expovariate
    count = [0]

    def proc(env):
        timeout = env.timeout
        while count[0] < total:
            count[0] += 1
            yield timeout(expo(1.0))

    for _ in range(n):
        env.process(proc(env))
    env.run()
    return count[0]


def hold_callback(n, total, seed):
    env = simpy.Environment()
    expo = random.Random(seed).expovariate
    timeout = env.timeout
    count = [0]

    def tick(_event):
        if count[0] < total:
            count[0] += 1
            timeout(expo(1.0)).callbacks.append(tick)

    for _ in range(n):
        timeout(0).callbacks.append(tick)
    env.run()
    return count[0]


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
    env.run()
    return done[0]


def run_once(a, seed):
    if a.mode == "process":
        return hold_process(a.processes, a.events, seed)
    if a.mode == "callback":
        return hold_callback(a.processes, a.events, seed)
    return mm1(a.events, seed)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["process", "callback", "mm1"], default="process")
    ap.add_argument("--processes", type=int, default=1000)
    ap.add_argument("--events", type=int, default=200000, help="timeouts (hold) or customers (mm1)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="cpu: time.process_time() (default), wall: time.perf_counter()")
    a = ap.parse_args()
    if a.repeat < 2 or a.events < 1 or a.processes < 1:
        ap.error("--repeat must be >= 2, --events and --processes >= 1")
    run_once(a, a.seed)  # warm-up, not timed
    times = []
    count = 0
    clock = time.process_time if a.clock == "cpu" else time.perf_counter
    for r in range(a.repeat):
        t0 = clock()
        count = run_once(a, a.seed)
        times.append(clock() - t0)
        print("simpy %s run %d: %d in %.3f s %s" % (a.mode, r + 1, count, times[-1], a.clock), file=sys.stderr)
    n = len(times)
    mean = sum(times) / n
    sd = math.sqrt(sum((t - mean) ** 2 for t in times) / (n - 1))
    t = T95[n - 2] if n - 1 <= len(T95) else 1.96
    print(json.dumps({
        "mode": a.mode,
        "processes": a.processes,
        "events": count,
        "meanSeconds": mean,
        "rme": 100 * t * sd / math.sqrt(n) / mean,
        "samples": n,
        "rate": count / mean,
        "clock": a.clock,
        "simpy": simpy.__version__,
        "python": platform.python_version(),
    }))


if __name__ == "__main__":
    main()
