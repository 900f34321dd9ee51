#!/usr/bin/env python3
"""SimPy side of engine/des/simpy-trace.test.ts: the same mixed model (a Resource with reneging,
an interrupt, a Store and a Container) run in SimPy, printing its trace as the TypeScript array the
test holds in SIMPY_TRACE, one `[name, what, time]` entry per line.

Regenerate the test's trace with Debian's python3-simpy3 (SimPy 3.0.11):

    apt-get install -y python3-simpy3
    /usr/bin/python3 engine/des/simpy-trace.py

and paste the output between the brackets of SIMPY_TRACE. `--json` prints one JSON array instead
(what the test compares with, when SimPy is installed).
"""

import json
import sys

import simpy


def model():
    log = []
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=2)

    def customer(name, arrive, service, patience):
        yield env.timeout(arrive)
        log.append([name, "arrive", env.now])
        req = counter.request()
        res = yield req | env.timeout(patience)
        if req in res:
            log.append([name, "start", env.now])
            yield env.timeout(service)
            counter.release(req)
            log.append([name, "done", env.now])
        else:
            req.cancel()
            log.append([name, "reneged", env.now])

    customers = [(0, 3, 5), (0, 2, 5), (1, 2, 1), (1, 1, 4), (2, 2, 0.5), (2, 1, 10), (3, 1, 1)]
    for i, (a, s, p) in enumerate(customers):
        env.process(customer("c%d" % i, a, s, p))

    def worker():
        while True:
            try:
                yield env.timeout(3)
                log.append(["worker", "tick", env.now])
            except simpy.Interrupt as e:
                log.append(["worker", "interrupted:%s" % e.cause, env.now])
                yield env.timeout(0.5)
                log.append(["worker", "back", env.now])
                return "ok"

    w = env.process(worker())

    def boss():
        yield env.timeout(4)
        w.interrupt("call")
        log.append(["boss", "interrupt", env.now])

    env.process(boss())

    store = simpy.Store(env, capacity=1)

    def producer():
        for i in range(3):
            yield store.put("item%d" % i)
            log.append(["producer", "put item%d" % i, env.now])

    def consumer():
        for _ in range(3):
            yield env.timeout(2)
            item = yield store.get()
            log.append(["consumer", "got %s" % item, env.now])

    env.process(producer())
    env.process(consumer())

    tank = simpy.Container(env, capacity=10, init=2)

    def filler():
        for _ in range(3):
            yield env.timeout(1.5)
            yield tank.put(4)
            log.append(["filler", "level %g" % tank.level, env.now])

    def drainer():
        yield tank.get(5)
        log.append(["drainer", "got 5, level %g" % tank.level, env.now])
        yield tank.get(6)
        log.append(["drainer", "got 6, level %g" % tank.level, env.now])

    env.process(filler())
    env.process(drainer())
    env.run(until=20)
    assert env.now == 20 and w.value == "ok"
    return log


def main():
    log = model()
    if "--json" in sys.argv[1:]:
        print(json.dumps(log))
        return
    for name, what, t in log:
        print("  [%s, %s, %s]," % (json.dumps(name), json.dumps(what), repr(t)))


if __name__ == "__main__":
    main()
