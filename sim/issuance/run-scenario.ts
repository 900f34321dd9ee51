/**
 * Runs an issuance scenario end to end — its replications on the worker pool, the summary, the
 * daily series and the reports — and returns the files of the run directory (DESIGN.md §4). Writing
 * them (atomically) is the caller's job; nothing here touches the file system except reading data.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { runTasks } from "../../engine/pool/task-pool.js";
import type { IssuanceRunResult } from "./model.js";
import { latestPrefectureDate, loadOfficialNational, loadOfficialPrefectures } from "./official-data.js";
import type { IssuanceParams } from "./params.js";
import {
  REPLICATION_WORKER,
  populationOf,
  runReplication,
  type ReplicationProgress,
  type ReplicationTask,
} from "./replication.js";
import { reportHtml, reportMarkdown } from "./report/index.js";
import { runCryptoSample, type CryptoSampleResult } from "./crypto-sample.js";
import { cumulativeCi95, meanColumns, summarise, timeseriesCsv } from "./summary.js";
import {
  parseJsonFile,
  parseTimeseriesCsv,
  RunSummarySchema,
  type CapacitySolution,
  type RunSummary,
} from "../run-format/index.js";

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
  onProgress?: (replication: number, p: ReplicationProgress) => void;
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
    file: "data/demographics-2022-12-31.csv",
    source: "MIC cards issued by age, 2022-12-31, via Code for Japan",
  },
];

/** Scales every capacity schedule by `k` (for the capacity search). */
export function scaleCapacities(p: IssuanceParams, k: number): IssuanceParams {
  const scale = (s: { from: string; value: number }[]) =>
    s.map((e) => ({ from: e.from, value: e.value * k }));
  return {
    ...p,
    intake: { capacityPerDay: scale(p.intake.capacityPerDay) },
    factory: { capacityPerDay: scale(p.factory.capacityPerDay) },
    counters: { ...p.counters, perTenThousandPerDay: scale(p.counters.perTenThousandPerDay) },
    jlis: { ...p.jlis, handoverCapacityPerDay: scale(p.jlis.handoverCapacityPerDay) },
  };
}

const valueOn = (s: { from: string; value: number }[], day: number): number => {
  let v = s[0]?.value ?? 0;
  for (const e of [...s].sort((a, b) => a.from.localeCompare(b.from)))
    if (parseIsoDate(e.from) <= day) v = e.value;
  return v;
};

/**
 * Smallest capacity multiplier (to 5 %) with which replication 0 reaches the target by its date:
 * a k-section search on a log scale, `threads` probes per round in parallel on the pool, starting
 * from [1/4, 1] or [1, 4] (k = 1 is the run itself) and widening up to 1/64…64. Null when even 64×
 * does not reach it: then demand, not capacity, is short.
 */
export async function solveCapacity(
  params: IssuanceParams,
  opts: RunScenarioOptions,
  reachedAtOne: boolean,
): Promise<CapacitySolution | null> {
  const targetDay = parseIsoDate(params.target.date);
  const end = formatIsoDate(Math.max(targetDay, parseIsoDate(params.start)));
  const reached = async (ks: number[]): Promise<boolean[]> => {
    const tasks: ReplicationTask[] = ks.map((k) => ({
      params: { ...scaleCapacities(params, k), end },
      seed: opts.seed,
      replication: 0,
      dataDir: opts.dataDir,
      snapshotDays: [],
    }));
    const results = await runTasks(tasks, {
      threads: opts.threads,
      workerUrl: REPLICATION_WORKER,
      handler: runReplication,
    });
    return results.map((r) => r.columns.cards_issued_cumulative[r.days - 1]! >= params.target.cards);
  };
  let lo: number;
  let hi: number;
  if (reachedAtOne) {
    [lo, hi] = [1 / 4, 1];
    while ((await reached([lo]))[0]) {
      [lo, hi] = [lo / 4, lo];
      if (hi <= 1 / 64) return describe(hi);
    }
  } else {
    [lo, hi] = [1, 4];
    while (!(await reached([hi]))[0]) {
      [lo, hi] = [hi, hi * 4];
      if (lo >= 64) return null;
    }
  }
  const width = Math.max(1, opts.threads);
  while (hi / lo > 1.05) {
    const ks = Array.from({ length: width }, (_, i) => lo * (hi / lo) ** ((i + 1) / (width + 1)));
    const ok = await reached(ks);
    const first = ok.indexOf(true);
    if (first === -1) lo = ks[width - 1]!;
    else {
      hi = ks[first]!;
      if (first > 0) lo = ks[first - 1]!;
    }
  }
  return describe(hi);

  function describe(k: number): CapacitySolution {
    const scaled = scaleCapacities(params, k);
    return {
      multiplier: Number(k.toFixed(3)),
      factoryPerDayOnTargetDate: Math.round(valueOn(scaled.factory.capacityPerDay, targetDay)),
      countersPerTenThousandOnTargetDate: Number(
        valueOn(scaled.counters.perTenThousandPerDay, targetDay).toFixed(2),
      ),
    };
  }
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
  const results = await runTasks(tasks, {
    threads: opts.threads,
    workerUrl: REPLICATION_WORKER,
    handler: runReplication,
    onProgress: (i, m) => opts.onProgress?.(i, m as ReplicationProgress),
  });

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
  );
  if (params.target.solveCapacity) {
    summary.requiredCapacity = await solveCapacity(params, opts, summary.target.reached);
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
  };
  const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
  // What readers will refuse is never written: the file must parse against its own schema.
  parseJsonFile(RunSummarySchema, summaryJson, "summary.json");
  const csv = timeseriesCsv(results, columns, ci95);
  parseTimeseriesCsv(csv);
  return {
    summary,
    crypto,
    results,
    files: {
      "scenario.json": `${JSON.stringify(params, null, 2)}\n`,
      "summary.json": summaryJson,
      "timeseries.csv": csv,
      "report.md": reportMarkdown(reportInput),
      "report.html": reportHtml(reportInput),
    },
  };
}
