/**
 * Runs an issuance scenario end to end — its replications on the worker pool, the summary, the
 * daily series and the reports — and returns the files of the run directory (DESIGN.md §4). Writing
 * them (atomically) is the caller's job; nothing here touches the file system except reading data.
 * @module
 */
import { parseIsoDate } from "../../engine/calendar.js";
import { runTasks } from "../../engine/pool/task-pool.js";
import type { TaskRunner } from "../../engine/queue/task-kinds.js";
import { demandKey, type IssuanceRunResult } from "./model.js";
import { latestPrefectureDate, loadOfficialNational, loadOfficialPrefectures } from "./official-data.js";
import type { IssuanceParams } from "./params.js";
import { searchCapacity } from "./capacity-search.js";
import { runCosts } from "./costs-summary.js";
import { parameterTable } from "./parameter-labels.js";
import { LEVERS } from "./levers.js";
import { leverTasks, marginalEffects } from "./marginal-effects.js";
import {
  counterfactualEffects,
  counterfactualTasks,
  type ResolvedCounterfactual,
} from "./counterfactuals.js";
import {
  REPLICATION_WORKER,
  populationOf,
  propensityOf,
  runReplication,
  type ReplicationProgress,
  type ReplicationTask,
} from "./replication.js";
import { reportHtml, reportMarkdown } from "./report/index.js";
import { sampledParams, uncertaintyCoverage } from "./calibration/uncertainty.js";
import { authFromIssuance } from "../auth/run-auth.js";
import { pinResetSummary } from "./pin-reset-summary.js";
import { runRevocationModel } from "../revocation/run.js";
import { runCryptoSample, type CryptoSampleResult } from "./crypto-sample.js";
import { cumulativeCi95, histogramStats, meanColumns, summarise, timeseriesCsv } from "./summary.js";
import { prefectureFidelity, prefectureSeries } from "./prefecture-series.js";
import {
  parseJsonFile,
  parseTimeseriesCsv,
  formatPrefecturesCsv,
  RunSummarySchema,
  type CapacitySolution,
  type RunSummary,
} from "../run-format/index.js";
import { networkFromScenario } from "../network/run-network.js";

export type { CapacitySolution };

export interface RunScenarioOptions {
  seed: number;
  replications: number;
  threads: number;
  dataDir: string;
  /** The command line to print under "Reproduce". */
  command: string;
  runId: string;
  versions: Record<string, string>;
  /** The scenario's counterfactuals, resolved (scenarios/counterfactuals.ts); absent or empty for none. */
  counterfactuals?: readonly ResolvedCounterfactual[];
  /** Progress of run `task`: replications first, then their paired runs ({@link scenarioTaskCount}). */
  onProgress?: (task: number, p: ReplicationProgress) => void;
  /** Runs the replications (default: the local pool; engine/queue's coordinator for --queue). */
  runTasks?: TaskRunner;
}

export interface ScenarioRun {
  summary: RunSummary;
  /** The factory's crypto sample (not in summary.json: key-cache state and rates vary by machine). */
  crypto: CryptoSampleResult | null;
  results: IssuanceRunResult[];
  files: Record<string, string>;
}

export const DATA_SOURCES = [
  {
    file: "data/municipalities.csv",
    source:
      "MIC マイナンバーカード交付状況 via Code for Japan (mynumbercard_statistics); populations as of 2022-01-01",
  },
  {
    file: "data/issuance-national.csv",
    source: "MIC cumulative cards issued (交付枚数), 2017-03-08 … 2022-12-31, via Code for Japan",
  },
  {
    file: "data/issuance-by-prefecture.csv",
    source: "sum of the MIC per-municipality table by prefecture, via Code for Japan",
  },
  {
    file: "data/issuance-by-municipality.csv",
    source:
      "MIC per-municipality cumulative cards issued on 17 dates, via Code for Japan; read only up to a scenario's demand.municipalPropensity.fitDate",
  },
  {
    file: "data/demographics-2022-12-31.csv",
    source: "MIC cards issued by age, 2022-12-31, via Code for Japan",
  },
];

/**
 * Runs a scenario makes: each replication, and its paired run for each lever (marginal-effects.ts)
 * and for each counterfactual (counterfactuals.ts).
 */
export function scenarioTaskCount(replications: number, counterfactuals = 0): number {
  return replications * (1 + LEVERS.length + counterfactuals);
}

/** Runs every replication and builds the run's files (all but manifest.json). */
export async function runScenario(params: IssuanceParams, opts: RunScenarioOptions): Promise<ScenarioRun> {
  const population = populationOf(opts.dataDir);
  const validationDate = latestPrefectureDate(opts.dataDir);
  const official = params.compareWithOfficial ? loadOfficialNational(opts.dataDir) : [];
  const snapshotDays = validationDate ? [parseIsoDate(validationDate)] : [];
  const tasks: ReplicationTask[] = Array.from({ length: opts.replications }, (_, replication) => ({
    params,
    seed: opts.seed,
    replication,
    dataDir: opts.dataDir,
    snapshotDays,
  }));
  // The replications and their paired runs (one per lever, same seed and streams) share the pool,
  // so the paired runs fill the threads a single replication leaves idle.
  const paired = leverTasks(params, opts);
  const counterfactuals = opts.counterfactuals ?? [];
  const whatIf = counterfactualTasks(counterfactuals, opts);
  // Each replication (and its paired runs) with its Latin-hypercube parameters (calibration/uncertainty.ts).
  const sampled = [...tasks, ...paired, ...whatIf].map((t) => ({
    ...t,
    params: sampledParams(t.params, opts.seed, t.replication, opts.replications),
  }));
  // The replications record their demand draws; a paired or counterfactual run with its
  // replication's demand (`demandKey`: every capacity lever) replays them instead of drawing
  // (model.ts `demandDraws`: exact, the same numbers), so it runs after the replications, and the
  // runs that draw for themselves (the demand lever) run beside them. The capacity search replays
  // replication 0's. Results stay in task order.
  const n = tasks.length;
  const keys = sampled.slice(0, n).map((t) => demandKey(t.params));
  const replays = sampled.map((t, i) => {
    const base = i >= n ? sampled[t.replication] : undefined;
    return (
      base !== undefined &&
      t.replication < n &&
      t.seed === base.seed &&
      t.dataDir === base.dataDir &&
      t.params.end === base.params.end &&
      demandKey(t.params) === keys[t.replication]
    );
  });
  const all: IssuanceRunResult[] = new Array<IssuanceRunResult>(sampled.length);
  const runBatch = async (indices: number[], task: (i: number) => ReplicationTask): Promise<void> => {
    const out = await (opts.runTasks ?? runTasks)(indices.map(task), {
      threads: opts.threads,
      workerUrl: REPLICATION_WORKER,
      handler: runReplication,
      onProgress: (j, m) => opts.onProgress?.(indices[j]!, m as ReplicationProgress),
    });
    indices.forEach((i, j) => (all[i] = out[j]!));
  };
  const indices = sampled.map((_, i) => i);
  await runBatch(
    indices.filter((i) => !replays[i]),
    (i) => (i < n ? { ...sampled[i]!, recordDemandDraws: true } : sampled[i]!),
  );
  await runBatch(
    indices.filter((i) => replays[i]),
    (i) => {
      const draws = all[sampled[i]!.replication]!.demandDraws;
      return draws ? { ...sampled[i]!, demandDraws: draws } : sampled[i]!;
    },
  );
  const results = all.slice(0, n);
  const r0Draws = results[0]!.demandDraws;
  for (const r of results) delete r.demandDraws;
  const pairedEnd = tasks.length + paired.length;
  const bindingConstraint = marginalEffects(params, results, all.slice(tasks.length, pairedEnd));

  const officialPrefectures =
    validationDate && params.compareWithOfficial
      ? loadOfficialPrefectures(opts.dataDir, validationDate)
      : null;
  const summary: ScenarioRun["summary"] = summarise(
    params,
    opts.seed,
    results,
    population,
    official,
    officialPrefectures,
    bindingConstraint,
  );
  // Parameters by label and staff and money (issue 9 items 2 and 4).
  summary.parameters = parameterTable(params).rows;
  summary.uncertainty = uncertaintyCoverage(params, opts.replications);
  const costs = runCosts(params, results);
  if (costs) summary.costs = costs;
  const series = prefectureSeries(results, population);
  const fit = params.demand.municipalPropensity;
  if (fit) {
    const observedOn = propensityOf(params, opts.dataDir)!.observedOn;
    const officialAtFit = params.compareWithOfficial
      ? loadOfficialPrefectures(opts.dataDir, observedOn)
      : null;
    summary.fidelity.uptakeFit = {
      fitDate: fit.fitDate,
      observedOn,
      shrinkage: fit.shrinkage,
      inSample: officialAtFit ? prefectureFidelity(series, officialAtFit) : null,
    };
  }
  if (counterfactuals.length > 0)
    summary.counterfactuals = counterfactualEffects(
      params,
      results,
      all.slice(pairedEnd),
      counterfactuals,
      summary.fidelity.national.map((r) => r.date),
    );
  const pinResets = pinResetSummary(params, results, summary.counterfactuals); // issue 10 item 1
  if (pinResets) summary.pinResets = pinResets;
  if (params.target.solveCapacity) {
    const r0 = results[0]!;
    const draws = r0Draws;
    const at = parseIsoDate(params.target.date) - r0.startDay;
    summary.requiredCapacity = await searchCapacity(params, {
      seed: opts.seed,
      threads: opts.threads,
      runTasks: opts.runTasks,
      dataDir: opts.dataDir,
      cardsAtOne: at >= 0 && at < r0.days ? r0.columns.cards_issued_cumulative[at]! : undefined,
      leadTimeP90AtOne:
        at >= 0 && at < r0.days ? histogramStats(r0.leadTimeHistogramToTarget).p90 : undefined,
      workAtOne: at >= 0 && at < r0.days ? r0.work.toTarget : undefined,
      demandDraws: draws && {
        key: keys[0]!,
        lastDay: r0.startDay + r0.days - 1,
        draws,
      },
    });
  }

  const start = results[0]!.startDay;
  const days = results[0]!.days;
  const crypto =
    params.cryptoSample && params.cryptoSample.cards > 0
      ? await runCryptoSample(params.cryptoSample, {
          threads: opts.threads,
          seed: opts.seed,
          // Issued at 09:00 JST on the first simulated day.
          issuedAt: start * 86_400_000,
          cardsIssued: summary.totals.cardsIssued,
        })
      : null;
  const inRun = official.filter((o) => {
    const d = parseIsoDate(o.date);
    return d >= start && d < start + days;
  });
  const columns = meanColumns(results);
  // issue 11: sim/revocation, from the mean new cards per day
  const revocation = runRevocationModel(
    params,
    { startDay: start, cardsIssuedDaily: columns.cards_issued_daily },
    { seed: opts.seed },
  );
  if (revocation) summary.revocation = revocation.summary;
  const ci95 = cumulativeCi95(results);
  const reportInput = {
    params,
    summary,
    startDay: start,
    columns,
    ci95,
    official: inRun,
    run: {
      command: opts.command,
      seed: opts.seed,
      replications: opts.replications,
      threads: opts.threads,
      runId: opts.runId,
      versions: opts.versions,
      dataSources: DATA_SOURCES,
    },
    crypto,
    revocation: revocation?.report ?? null,
  };
  const auth = authFromIssuance(params, results, opts.seed); // issue 10: sim/auth
  if (auth) summary.auth = auth.summary;
  const network = networkFromScenario(params, opts.seed); // issue 12: sim/network
  if (network) summary.network = network.summary;
  const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
  // What readers will refuse is never written: the file must parse against its own schema.
  parseJsonFile(RunSummarySchema, summaryJson, "summary.json");
  const csv = timeseriesCsv(results, columns, ci95);
  parseTimeseriesCsv(csv);
  const prefectures = formatPrefecturesCsv(series);
  return {
    summary,
    crypto,
    results,
    files: {
      "scenario.json": `${JSON.stringify(params, null, 2)}\n`,
      "summary.json": summaryJson,
      "timeseries.csv": csv,
      "prefectures.csv": prefectures,
      "report.md": reportMarkdown(reportInput),
      "report.html": reportHtml(reportInput),
      ...auth?.files,
      ...revocation?.files,
    },
  };
}
