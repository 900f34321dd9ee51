/**
 * `myna-twin sweep <scenario.yaml> --vary key=a,b,c …`: runs every point of the grid (× replications)
 * in parallel and writes one summary table (sweep.csv, sweep.json, sweep.md) atomically.
 * @module
 */
import { join } from "node:path";
import { csvFormatRows } from "d3-dsv";
import { InputError } from "../engine/errors.js";
import { runTasks } from "../engine/pool/task-pool.js";
import { claimRunDirectory } from "../engine/run-output/run-claim.js";
import { loadScenario, printWarnings } from "../scenarios/load-scenario.js";
import { parseVary } from "../scenarios/vary.js";
import { loadOfficialNational } from "../sim/issuance/official-data.js";
import {
  populationOf,
  REPLICATION_WORKER,
  runReplication,
  type ReplicationTask,
} from "../sim/issuance/replication.js";
import { LEVERS } from "../sim/issuance/levers.js";
import { leverTasks, marginalEffects } from "../sim/issuance/marginal-effects.js";
import { summarise } from "../sim/issuance/summary.js";
import {
  parseJsonFile,
  RUN_FORMAT_VERSION,
  SweepDocumentSchema,
  type SweepDocument,
} from "../sim/run-format/index.js";
import { parse, RUN_FLAGS, runFlagValues } from "./args.js";
import { baseManifest, commandLine, DATA_DIR, newRunId, ROOT } from "./context.js";
import { closingQueue, openQueue, orCloseQueue, QUEUE_FLAG, queueHelp } from "./worker-command.js";

/** The most grid points one sweep may have (each point is a full scenario run × replications). */
export const MAX_SWEEP_POINTS = 1000;

export const SWEEP_HELP = `Usage: myna-twin sweep <scenario.yaml> --vary key=a,b,c [--vary key2=x,y] [options]

Runs the scenario at every point of the grid of --vary values (each point × --replications), in
parallel, and writes sweep.csv, sweep.json, sweep.md and manifest.json.

Options:
  --vary key=a,b,c    a scenario field and its values (repeatable; the grid is their product)
  --vary 'key=[v1, v2]'
                      the same as one YAML list of values, when the text after = starts with [;
                      a value can then be a list or a mapping:
                        --vary 'counters.staffPerHundredThousand=[[{from: 2016-01-01, value: 2.3}], [{from: 2016-01-01, value: 4.6}]]'
                        --vary 'jlis.outages=[[]]'   (one value: no outages)
  --seed N            random seed (default 1)
  --replications N    replications per point (default 1)
  --threads N         worker threads (default: all cores)
  --out DIR           output directory (default reports/<scenario>-sweep/<run-id>/)
  --set key=value     fixed override applied before the grid
${queueHelp(22)}
  -h, --help          this help

Exit codes: 0 ok, 2 bad input (or --out taken), 3 --out not writable, 1 internal failure.`;

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("sweep", argv, {
    ...RUN_FLAGS,
    ...QUEUE_FLAG,
    vary: { type: "string", multiple: true },
  });
  if (values.help) {
    console.log(SWEEP_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError("sweep: expected exactly one scenario file");
  const vary = ((values.vary as string[] | undefined) ?? []).map(parseVary);
  const size = vary.reduce((n, v) => n * v.values.length, 1);
  if (size > MAX_SWEEP_POINTS) {
    throw new InputError(
      `sweep: the --vary grid has ${size.toLocaleString("en-US")} points; the limit is ${MAX_SWEEP_POINTS.toLocaleString("en-US")}`,
    );
  }
  if (vary.length === 0)
    throw new InputError("sweep: give at least one --vary key=a,b,c or --vary 'key=[a, b]'");
  const { seed, replications, threads } = runFlagValues(values);
  const sets = (values.set as string[] | undefined) ?? [];

  // Every grid point is validated before anything runs.
  let grid: string[][] = [[]];
  for (const v of vary) grid = grid.flatMap((g) => v.values.map((x) => [...g, `${v.key}=${x}`]));
  const warnings = new Set<string>();
  const points = grid.map((overrides) => {
    const loaded = loadScenario(
      positionals[0]!,
      [...sets, ...overrides],
      [...sets.map(() => "--set"), ...overrides.map(() => "--vary")],
    );
    for (const w of loaded.warnings) warnings.add(w);
    return { overrides, params: loaded.params };
  });
  printWarnings([...warnings]);
  const name = points[0]!.params.name;
  const runId = newRunId(seed);
  const outDir = (values.out as string | undefined) ?? join(ROOT, "reports", `${name}-sweep`, runId);
  // The queue (--queue) is reached before the directory is claimed: a bad URL leaves nothing.
  const queue = await openQueue(values.queue as string | undefined);
  // Claimed before anything runs (see run-command.ts).
  const claim = await orCloseQueue(queue, () => claimRunDirectory(outDir));
  process.once("exit", () => claim.abandon());

  // Per point: its replications, then their paired runs for the binding constraint (one per lever).
  const perPoint = replications * (1 + LEVERS.length);
  const tasks: ReplicationTask[] = points.flatMap((p) => [
    ...Array.from({ length: replications }, (_, replication) => ({
      params: p.params,
      seed,
      replication,
      dataDir: DATA_DIR,
      snapshotDays: [],
    })),
    ...leverTasks(p.params, { seed, replications, dataDir: DATA_DIR }),
  ]);
  const t0 = performance.now();
  process.stderr.write(
    `sweep: ${points.length} points × ${replications} replications (+ ${LEVERS.length} paired runs each for the binding constraint) on ${queue ? `the queue at ${queue.target.shown}` : `${threads} threads`}\n`,
  );
  const results = await closingQueue(
    queue,
    (queue?.runTasks ?? runTasks)(tasks, { threads, workerUrl: REPLICATION_WORKER, handler: runReplication }),
  );
  const population = populationOf(DATA_DIR);
  const official = loadOfficialNational(DATA_DIR);
  const rows = points.map((p, i) => {
    const own = results.slice(i * perPoint, (i + 1) * perPoint);
    const base = own.slice(0, replications);
    const s = summarise(
      p.params,
      seed,
      base,
      population,
      p.params.compareWithOfficial ? official : [],
      null, // sweeps compare nationally only; prefecture snapshots are not recorded
      marginalEffects(p.params, base, own.slice(replications)),
    );
    return {
      point: Object.fromEntries(
        p.overrides.map((o) => [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)]),
      ),
      reachedByTargetDate: s.target.reached,
      reachedOn: s.target.reachedOn,
      cardsOnTargetDate: s.target.cardsOnTargetDate?.mean ?? null,
      bindingConstraint: s.bindingConstraint.stage,
      leadTimeP50: s.leadTimeDays.all.p50,
      leadTimeP90: s.leadTimeDays.all.p90,
      leadTimeP99: s.leadTimeDays.all.p99,
      maxAbsErrorPercent: s.fidelity.maxAbsErrorPercent,
    };
  });
  const keys = vary.map((v) => v.key);
  const cols = [
    "reachedOn",
    "cardsOnTargetDate",
    "bindingConstraint",
    "leadTimeP50",
    "leadTimeP90",
    "leadTimeP99",
  ] as const;
  // Quoted where needed: a --vary value can hold commas (`[1,2]`).
  const csv = csvFormatRows([
    [...keys, ...cols],
    ...rows.map((r) => [...keys.map((k) => r.point[k]!), ...cols.map((c) => String(r[c] ?? ""))]),
  ]);
  const md = [
    `# Sweep of ${name}`,
    "",
    `Seed ${seed}, ${replications} replication(s) per point. Command: \`${commandLine(["sweep", ...argv])}\``,
    "",
    `| ${[...keys, "reached on", "cards on target date", "binding", "lead p50/p90/p99 (days)"].join(" | ")} |`,
    `|${[...keys, 1, 2, 3, 4].map(() => "---").join("|")}|`,
    ...rows.map(
      (r) =>
        `| ${[...keys.map((k) => r.point[k]!.replace(/\|/g, "\\|")), r.reachedOn ?? "not reached", r.cardsOnTargetDate === null ? "—" : Math.round(r.cardsOnTargetDate).toLocaleString("en-US"), r.bindingConstraint, `${r.leadTimeP50}/${r.leadTimeP90}/${r.leadTimeP99}`].join(" | ")} |`,
    ),
    "",
  ].join("\n");
  const wallSeconds = (performance.now() - t0) / 1000;
  const manifest = baseManifest({
    runId,
    command: commandLine(["sweep", ...argv]),
    kind: "sweep",
    vary,
    warnings: [...warnings],
    seed,
    replications,
    threads,
    ...(queue ? { queue: queue.target.shown } : {}),
    wallSeconds: Number(wallSeconds.toFixed(3)),
  });
  const sweep: SweepDocument = {
    formatVersion: RUN_FORMAT_VERSION,
    scenario: name,
    target: points[0]!.params.target,
    seed,
    replications,
    vary,
    rows,
  };
  const sweepJson = `${JSON.stringify(sweep, null, 2)}\n`;
  parseJsonFile(SweepDocumentSchema, sweepJson, "sweep.json"); // never write what readers refuse
  claim.commit({
    "sweep.json": sweepJson,
    "sweep.csv": `${csv}\n`,
    "sweep.md": md,
    "manifest.json": `${JSON.stringify(manifest, null, 2)}\n`,
  });
  console.log(md);
  console.log(`Sweep: ${join(outDir, "sweep.md")} — ${wallSeconds.toFixed(1)} s`);
  return 0;
}
