/**
 * Child process of bench/load.ts: the load generator, in its own process so it does not share an
 * event loop with the server or the orchestrator, at a raised priority when the OS allows it. Takes IPC messages (advanced serialisation):
 * `{"kind": "open", plan}` runs one open-loop step (bench/_load-open-loop.ts) and answers its result
 * with this process's CPU time over the step (`generatorCpuUs`) and whether it runs at nice −10
 * (`priorityRaised`) — the twin's generator thread;
 * `{"kind": "closed", plan}` runs one closed-loop autocannon run (bench/_load-closed-loop.ts) and
 * answers its 2xx answers per second.
 * @module
 */
import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import type { ClosedLoopPlan } from "./_load-closed-loop.js";
import { closedLoop } from "./_load-closed-loop.js";
import type { OpenLoopPlan } from "./_load-open-loop.js";
import { runOpenLoop } from "./_load-open-loop.js";
import { startPauseRecorder } from "./_load-pauses.js";

// On a shared machine the generator must not be starved of CPU, or its sends fall behind schedule
// and its runs are void: it raises its own priority when allowed (nice −10; root only), and stays
// light (it only schedules sends and reads answers). The server keeps the normal priority.
/** Run-queue delay (ns) and time slices of this process's main thread (Linux schedstat), or null. */
function runQueue(): [number, number] | null {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").trim().split(" ").map(Number);
    return [f[1]!, f[2]!];
  } catch {
    return null;
  }
}

/** The generator's own main-thread pauses (GC, event-loop delay), reported per step. */
const pauses = startPauseRecorder();

let priorityRaised = false;
try {
  setPriority(-10);
  priorityRaised = true;
} catch {
  // Not allowed: lateness is still measured and reported.
}

process.on(
  "message",
  (m: { kind: "open"; plan: OpenLoopPlan } | { kind: "closed"; plan: ClosedLoopPlan }) => {
    const c0 = process.cpuUsage();
    const q0 = runQueue();
    pauses.take();
    const run = m.kind === "open" ? runOpenLoop(m.plan) : closedLoop(m.plan);
    void run.then(
      (result) => {
        const c = process.cpuUsage(c0);
        const q1 = runQueue();
        process.send!({
          ok: true,
          result: {
            ...result,
            generatorCpuUs: c.user + c.system,
            priorityRaised,
            generatorRunQueue: q0 && q1 ? [q1[0] - q0[0], q1[1] - q0[1]] : null,
            generatorPauses: pauses.take(),
          },
        });
      },
      (e: unknown) => process.send!({ ok: false, message: e instanceof Error ? e.message : String(e) }),
    );
  },
);
// The orchestrator is gone (crashed or killed): do not linger.
process.on("disconnect", () => process.exit(0));
process.send!({ ready: true });
