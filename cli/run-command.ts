/**
 * `myna-twin run <scenario.yaml>`: runs a scenario's replications in parallel and writes its run
 * directory (manifest.json, summary.json, timeseries.csv, prefectures.csv, report.md, report.html)
 * atomically.
 * @module
 */
import { join, relative } from "node:path";
import { formatIsoDate, parseIsoDate } from "../engine/calendar.js";
import { InputError } from "../engine/errors.js";
import { claimRunDirectory } from "../engine/run-output/run-claim.js";
import { loadScenario, printWarnings } from "../scenarios/load-scenario.js";
import { bindingLine } from "../sim/issuance/marginal-effects.js";
import { runScenario, scenarioTaskCount } from "../sim/issuance/run-scenario.js";
import type { RunSummary } from "../sim/issuance/summary.js";
import { parse, RUN_FLAGS, runFlagValues } from "./args.js";
import { versions } from "../engine/run-output/environment-info.js";
import { baseManifest, commandLine, DATA_DIR, newRunId, ROOT } from "./context.js";
import { ProgressBar } from "./progress.js";
import { closingQueue, openQueue, orCloseQueue, QUEUE_FLAG, queueHelp } from "./worker-command.js";

export const RUN_HELP = `Usage: myna-twin run <scenario.yaml> [options]

Runs a card-issuance scenario and writes its run directory: manifest.json, summary.json,
timeseries.csv, prefectures.csv, report.md and report.html.

Options:
  --seed N            random seed (default 1); same seed → byte-identical summary and series
  --replications N    independent replications (default 1); >1 adds 95 % confidence intervals
  --threads N         worker threads (default: all cores); results do not depend on it
  --out DIR           write the run into DIR (default reports/<scenario>/<run-id>/)
  --set key=value     override a scenario field, e.g. --set factory.capacityPerDay[0].value=150000
                      (repeatable; value is YAML)
${queueHelp(22)}
  -h, --help          this help

Exit codes: 0 ok, 2 bad input (scenario, flag, --out taken), 3 --out not writable, 1 internal failure.`;

/** The headline answer in one or two lines. */
export function headline(s: RunSummary, maxLeadTimeP90Days?: number): string {
  const t = s.target;
  const cards = t.cards.toLocaleString("en-US");
  const lines: string[] = [];
  if (t.reached) {
    lines.push(`${s.scenario}: ${cards} cards reached on ${t.reachedOn}, before the target date ${t.date}.`);
  } else {
    const on = t.cardsOnTargetDate
      ? `${(t.cardsOnTargetDate.mean / 1e6).toFixed(1)} M cards on ${t.date}`
      : `target date ${t.date} outside the run`;
    const later = t.reachedOn ? `reached later, on ${t.reachedOn}` : `not reached by ${s.period.end}`;
    lines.push(`${s.scenario}: ${cards} cards NOT reached by ${t.date} (${on}; ${later}).`);
  }
  lines.push(
    `Binding constraint: ${bindingLine(s.bindingConstraint)}.`,
    `Lead time application → hand-over p50/p90/p99: ${s.leadTimeDays.all.p50}/${s.leadTimeDays.all.p90}/${s.leadTimeDays.all.p99} days.`,
  );
  const rc = s.requiredCapacity;
  const bounded = maxLeadTimeP90Days === undefined ? "" : ` with p90 lead time ≤ ${maxLeadTimeP90Days} days`;
  if (rc) {
    const which =
      maxLeadTimeP90Days === undefined
        ? ""
        : rc.boundBy === "leadTime"
          ? `; p90 ${rc.leadTimeP90Days ?? "—"} days; the lead-time bound binds`
          : rc.boundBy === "cardsAndLeadTime"
            ? `; p90 ${rc.leadTimeP90Days ?? "—"} days; both bounds bind`
            : `; p90 ${rc.leadTimeP90Days ?? "—"} days; the cards bound binds`;
    lines.push(
      `Capacity that would have reached it by ${t.date}${bounded}: ×${rc.multiplier} (factory ${rc.factoryPerDayOnTargetDate.toLocaleString("en-US")} cards/day${which}).`,
    );
  } else if (rc === null) {
    lines.push(`Capacity search: no multiplier up to ×64 reaches it by ${t.date}${bounded}.`);
  }
  if (s.fidelity.maxAbsErrorPercent !== null) {
    lines.push(
      `Against the official series: max |error| ${s.fidelity.maxAbsErrorPercent.toFixed(1)} % over ${s.fidelity.national.length} dates.`,
    );
  }
  return lines.join("\n");
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("run", argv, { ...RUN_FLAGS, ...QUEUE_FLAG });
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError("run: expected exactly one scenario file (see myna-twin run --help)");
  const { seed, replications, threads } = runFlagValues(values);
  const scenario = loadScenario(positionals[0]!, (values.set as string[] | undefined) ?? []);
  printWarnings(scenario.warnings);
  const params = scenario.params;
  const runId = newRunId(seed);
  const outDir = (values.out as string | undefined) ?? join(ROOT, "reports", params.name, runId);
  // The queue (--queue) is reached before the directory is claimed: a bad URL leaves nothing.
  const queue = await openQueue(values.queue as string | undefined);
  // Claimed before anything runs: a taken or unwritable --out fails now, not after the simulation;
  // a failure before the commit gives the directory back as the process ends.
  const claim = await orCloseQueue(queue, () => claimRunDirectory(outDir));
  process.once("exit", () => claim.abandon());

  const startDay = parseIsoDate(params.start);
  const bar = new ProgressBar({
    startDay,
    days: parseIsoDate(params.end) - startDay + 1,
    tasks: scenarioTaskCount(replications, scenario.counterfactuals.length),
  });
  const t0 = performance.now();
  const command = commandLine(["run", ...argv]);
  const run = await closingQueue(
    queue,
    runScenario(params, {
      seed,
      replications,
      threads,
      dataDir: DATA_DIR,
      command,
      runId,
      versions: versions(ROOT),
      counterfactuals: scenario.counterfactuals,
      onProgress: (i, p) => bar.update(i, p.day, p.events),
      ...(queue ? { runTasks: queue.runTasks } : {}),
    }),
  );
  bar.finish();
  const wallSeconds = (performance.now() - t0) / 1000;
  const manifest = baseManifest({
    runId,
    command,
    scenarioFile: relative(ROOT, scenario.file) || scenario.file,
    overrides: scenario.overrides,
    warnings: scenario.warnings,
    scenario: params,
    seed,
    replications,
    threads,
    ...(queue ? { queue: queue.target.shown } : {}),
    wallSeconds: Number(wallSeconds.toFixed(3)),
    eventsProcessed: run.results.reduce((a, r) => a + r.eventsProcessed, 0),
    cohortOperations: run.results.reduce((a, r) => a + r.cohortOperations, 0),
    simulatedDays: run.results[0]!.days,
    period: {
      start: params.start,
      end: params.end,
      lastDay: formatIsoDate(startDay + run.results[0]!.days - 1),
    },
    cryptoSample: run.crypto,
    files: Object.keys(run.files).sort(),
  });
  claim.commit({ ...run.files, "manifest.json": `${JSON.stringify(manifest, null, 2)}\n` });
  console.log(headline(run.summary, params.target.maxLeadTimeP90Days));
  console.log(
    `Report: ${join(outDir, "report.html")} (and report.md, summary.json, timeseries.csv) — ${wallSeconds.toFixed(1)} s`,
  );
  return 0;
}
