/**
 * Wall time of full national `history` runs (2016-01 → 2025-12, 1,741 municipalities, exact
 * cohorts): one replication on one thread, and 8 replications on every core through the piscina
 * pool. A replication is six model runs — the baseline and its five paired +10 % lever runs
 * (marginal-effects.ts) — so the base model alone (one run, no paired runs, warm) is measured too,
 * as a plain figure. There is no external implementation of the same model, so these are plain
 * figures (no reference, no ratio) with the issues' targets: ≤ 5 s for one replication (issue 9)
 * and ≤ 45 s for 8 on a 2-core machine. `--quick` runs 2016 only (and drops the targets, which are
 * for the full decade).
 * @module
 */
import { join } from "node:path";
import { defaultThreads } from "../engine/pool/task-pool.js";
import { loadScenario } from "../scenarios/load-scenario.js";
import { runReplication } from "../sim/issuance/replication.js";
import { runScenario } from "../sim/issuance/run-scenario.js";
import { log, makeResult, ROOT, type Measurement } from "./_shared.js";

/** One model run of the scenario (no paired runs) in this thread, after one warm-up run. */
function timeBaseRun(end?: string): number {
  const params = loadScenario(join(ROOT, "scenarios/history.yaml"), end ? [`end=${end}`] : []).params;
  const task = { params, seed: 1, replication: 0, dataDir: join(ROOT, "data"), snapshotDays: [] };
  runReplication(task);
  const t0 = performance.now();
  runReplication(task);
  return (performance.now() - t0) / 1000;
}

async function timeRun(replications: number, threads: number, end?: string): Promise<number> {
  const params = loadScenario(join(ROOT, "scenarios/history.yaml"), end ? [`end=${end}`] : []).params;
  const t0 = performance.now();
  await runScenario(params, {
    seed: 1,
    replications,
    threads,
    dataDir: join(ROOT, "data"),
    command: "bench",
    runId: "bench",
    versions: {},
  });
  return (performance.now() - t0) / 1000;
}

export const historyRunMeasurements: Measurement[] = [
  async (options) => {
    const end = options.quick ? "2016-12-31" : undefined;
    const threads = defaultThreads();
    log(`history run: base model alone, 1 run${end ? " (quick: 2016 only)" : ""}…`);
    const base = timeBaseRun(end);
    log(`history run: 1 replication on 1 thread${end ? " (quick: 2016 only)" : ""}…`);
    const one = await timeRun(1, 1, end);
    log(`history run: 8 replications on ${threads} threads…`);
    const eight = await timeRun(8, threads, end);
    const q = options.quick;
    return [
      makeResult(
        {
          name: `history base model${q ? " (2016 only)" : ""}, 1 run without paired runs, 1 thread (wall)`,
          unit: "s",
          value: Number(base.toFixed(2)),
          higherIsBetter: false,
          target: null,
        },
        q,
      ),
      makeResult(
        {
          name: `history run${q ? " (2016 only)" : ""}, 1 replication, 1 thread (wall)`,
          unit: "s",
          value: Number(one.toFixed(2)),
          higherIsBetter: false,
          target: q ? null : 5,
        },
        q,
      ),
      makeResult(
        {
          name: `history run${q ? " (2016 only)" : ""}, 8 replications, ${threads} threads (wall)`,
          unit: "s",
          value: Number(eight.toFixed(2)),
          higherIsBetter: false,
          target: q ? null : 45,
        },
        q,
      ),
    ];
  },
];
