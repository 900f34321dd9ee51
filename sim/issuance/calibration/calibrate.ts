/**
 * The calibrator (issue 9 item 5): fits the free parameters a scenario declares in `calibrate:` to
 * the official national points on or before the fit date — and only those — by Nelder–Mead on the
 * transformed box (nelder-mead.ts), then runs the fitted scenario in full and measures its error at
 * every official point, in sample and out of sample, prefecture coverage and the flows of FACTS §4.1.
 *
 * Hold-out: the objective sees only the in-sample points; the per-municipality propensity is fitted
 * on the fit date (`demand.municipalPropensity.fitDate` := fit date, uptake.ts reads no row after
 * it); the runs the optimiser makes stop at the last in-sample date, so nothing after the cut can
 * influence the fit. Every evaluation is replication 0 of the same seed (common random numbers), so
 * the objective is a deterministic function of the parameters; batches run on the worker pool and
 * come back in task order, so the result is the same whatever the number of threads.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIsoDate } from "../../../engine/calendar.js";
import { InputError } from "../../../engine/errors.js";
import { runTasks } from "../../../engine/pool/task-pool.js";
import type { TaskRunner } from "../../../engine/queue/task-kinds.js";
import {
  OUT_OF_SAMPLE_TOLERANCE,
  RUN_FORMAT_VERSION,
  type CalibrationDocument,
  type PointError,
} from "../../run-format/index.js";
import type { IssuanceRunResult } from "../model.js";
import { loadOfficialPrefectures, latestPrefectureDate } from "../official-data.js";
import type { IssuanceParams } from "../params.js";
import { populationOf, REPLICATION_WORKER, runReplication, type ReplicationTask } from "../replication.js";
import type { CalibratedParameter } from "./blocks.js";
import { writeCoarseWorld } from "./coarse-world.js";
import { flowChecks, loadFlows, simulatedFlow, type FlowSpec } from "./flows.js";
import { FLUID_WORKER, runFluid } from "./fluid-run.js";
import { nelderMead } from "./nelder-mead.js";
import { loadOfficialPoints, splitPoints, type OfficialNationalPoint } from "./official-points.js";

export interface CalibrateOptions {
  /** The scenario with `key=value` overrides applied (the loader of scenarios/load-scenario.ts). */
  load: (overrides: string[]) => IssuanceParams;
  /** The scenario file, as given (recorded in calibration.json). */
  scenarioFile: string;
  fitUntil: string;
  seed: number;
  threads: number;
  dataDir: string;
  /** Runs the model runs (default: the local pool; engine/queue's coordinator for --queue). */
  runTasks?: TaskRunner;
  /** Called after each batch of model runs with the evaluations so far and the best value. */
  onProgress?: (evaluations: number, best: number) => void;
}

export interface CalibrationResult {
  document: CalibrationDocument;
  /** The fitted value of each parameter, in `calibrate.parameters` order. */
  values: number[];
  /** The `key=value` overrides that give the calibrated scenario (fit date included). */
  overrides: string[];
  /** The calibrated scenario's parameters. */
  params: IssuanceParams;
  /** The full run at the fitted values. */
  run: IssuanceRunResult;
}

const toValue = (q: CalibratedParameter, u: number): number =>
  q.log ? Math.exp(Math.log(q.min) + u * (Math.log(q.max) - Math.log(q.min))) : q.min + u * (q.max - q.min);
const toUnit = (q: CalibratedParameter, v: number): number =>
  q.log
    ? (Math.log(v) - Math.log(q.min)) / (Math.log(q.max) - Math.log(q.min))
    : (v - q.min) / (q.max - q.min);

/** The value at `path` (`a.b[0].c`) of a plain object, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const seg of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, seg))
      return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** Simulated value of a point's series at the end of its day, or null when the run does not cover it. */
export function simulatedAt(run: IssuanceRunResult, p: OfficialNationalPoint): number | null {
  const i = parseIsoDate(p.date) - run.startDay;
  if (i < 0 || i >= run.days) return null;
  return run.columns[p.series][i]!;
}

/**
 * Mean squared log error of a run over `points` and `flows`, each counting once (those the run does
 * not cover are skipped).
 */
export function objective(
  run: IssuanceRunResult,
  points: readonly OfficialNationalPoint[],
  flows: readonly FlowSpec[] = [],
): number {
  let sum = 0;
  let n = 0;
  const add = (simulated: number | null, official: number): void => {
    if (simulated === null) return;
    const r = Math.log(Math.max(1, simulated) / official);
    sum += r * r;
    n++;
  };
  for (const p of points) add(simulatedAt(run, p), p.value);
  for (const f of flows) add(simulatedFlow(run, f), f.official);
  return n > 0 ? sum / n : 0;
}

function pointErrors(run: IssuanceRunResult, points: readonly OfficialNationalPoint[]): PointError[] {
  const out: PointError[] = [];
  for (const p of points) {
    const s = simulatedAt(run, p);
    if (s === null) continue;
    out.push({
      date: p.date,
      series: p.series,
      official: p.value,
      simulated: s,
      relativeError: (s - p.value) / p.value,
      source: p.source,
    });
  }
  return out;
}

const maxAbs = (xs: { relativeError: number }[]): number | null =>
  xs.length > 0 ? Math.max(...xs.map((x) => Math.abs(x.relativeError))) : null;

/** Fits the scenario's `calibrate:` parameters on data up to `fitUntil`. @throws InputError */
export async function calibrate(opts: CalibrateOptions): Promise<CalibrationResult> {
  const cut = parseIsoDate(opts.fitUntil, "--fit-until");
  const base = opts.load([]);
  const block = base.calibrate;
  if (!block) {
    throw new InputError(
      `${opts.scenarioFile}: no calibrate: block (declare the free parameters with bounds; see scenarios/README.md)`,
    );
  }
  const qs = block.parameters;
  const starts = qs.map((q) => q.start ?? toValue(q, 0.5));
  qs.forEach((q, i) => {
    if (typeof valueAt(base, q.path) !== "number") {
      throw new InputError(
        `${opts.scenarioFile}: calibrate.parameters[${i}].path: ${q.path} is not a number in the scenario (expected a key path as for --set, e.g. demand.response.points.level)`,
      );
    }
  });
  const start = parseIsoDate(base.start);
  const end = parseIsoDate(base.end);
  const { inSample: before, outOfSample: after } = splitPoints(
    loadOfficialPoints(opts.dataDir),
    opts.fitUntil,
  );
  const covered = (p: OfficialNationalPoint): boolean => {
    const d = parseIsoDate(p.date);
    return d >= start && d <= end;
  };
  const inSample = before.filter(covered);
  const outOfSample = after.filter(covered);
  if (inSample.length === 0) {
    throw new InputError(
      `--fit-until ${opts.fitUntil}: no official point between the scenario's start (${base.start}) and ${opts.fitUntil} to fit to`,
    );
  }
  // Flows of FACTS §4.1 that end on or before the fit date join the objective.
  const flows = loadFlows(opts.dataDir);
  const inSampleFlows = flows.filter(
    (f) => parseIsoDate(f.to) <= cut && parseIsoDate(f.from) >= start && parseIsoDate(f.to) <= end,
  );
  const lastInSample = [...inSample.map((p) => p.date), ...inSampleFlows.map((f) => f.to)].sort().at(-1)!;
  const fitDateOverride = base.demand.municipalPropensity
    ? [`demand.municipalPropensity.fitDate=${opts.fitUntil}`]
    : [];
  const overridesFor = (values: number[]): string[] => [
    ...qs.map((q, i) => `${q.path}=${values[i]}`),
    ...fitDateOverride,
  ];
  const paramsFor = (values: number[], truncate: boolean): IssuanceParams => {
    const p = opts.load(overridesFor(values));
    // The optimiser's runs stop at the last in-sample point: nothing later can reach the fit.
    return truncate ? { ...p, end: lastInSample } : p;
  };
  const task = (
    params: IssuanceParams,
    snapshotDays: number[] = [],
    dataDir = opts.dataDir,
  ): ReplicationTask => ({
    params,
    seed: opts.seed,
    replication: 0,
    dataDir,
    snapshotDays,
  });
  // The optimiser works in the coarse world (coarse-world.ts); the result is judged in the full one.
  const coarseDir = mkdtempSync(join(tmpdir(), "myna-calibrate-"));
  writeCoarseWorld(opts.dataDir, coarseDir, opts.fitUntil);
  let best = Infinity;
  let evaluations = 0;
  const evaluate = async (units: number[][]): Promise<number[]> => {
    const tasks = units.map((u) =>
      task(
        paramsFor(
          u.map((x, i) => toValue(qs[i]!, x)),
          true,
        ),
        [],
        coarseDir,
      ),
    );
    // A pool costs a second or more to start: batches of one or two (most Nelder–Mead steps) run
    // here; the start simplex and shrinks run in parallel. Either way the values are the same.
    const runs = await (opts.runTasks ?? runTasks)(tasks, {
      threads: tasks.length >= 3 ? opts.threads : 1,
      workerUrl: FLUID_WORKER,
      handler: runFluid,
    });
    const values = runs.map((r) => objective(r, inSample, inSampleFlows));
    evaluations += values.length;
    best = Math.min(best, ...values);
    opts.onProgress?.(evaluations, best);
    return values;
  };
  let nm: Awaited<ReturnType<typeof nelderMead>>;
  try {
    nm = await nelderMead(evaluate, {
      start: starts.map((v, i) => toUnit(qs[i]!, v)),
      maxEvaluations: block.maxEvaluations ?? 120,
      speculative: true,
    });
  } finally {
    rmSync(coarseDir, { recursive: true, force: true });
  }
  // A frozen parameter keeps its start exactly (not its round trip through the box transform).
  const values = nm.best.map((u, i) => (nm.frozen[i] ? starts[i]! : toValue(qs[i]!, u)));
  const loaded = paramsFor(values, false);
  const params: IssuanceParams = {
    ...loaded,
    calibrate: { ...loaded.calibrate!, fittedUntil: opts.fitUntil },
  };

  // The fitted scenario in full: errors in and out of sample, prefectures, flows.
  const prefDate = latestPrefectureDate(opts.dataDir);
  const snapshot =
    prefDate && parseIsoDate(prefDate) >= start && parseIsoDate(prefDate) <= end
      ? [parseIsoDate(prefDate)]
      : [];
  const [run] = await (opts.runTasks ?? runTasks)([task(params, snapshot)], {
    threads: 1,
    workerUrl: REPLICATION_WORKER,
    handler: runReplication,
  });
  const inErrors = pointErrors(run!, inSample);
  const outErrors = pointErrors(run!, outOfSample).map((e) => ({
    ...e,
    verdict: Math.abs(e.relativeError) <= OUT_OF_SAMPLE_TOLERANCE ? ("PASS" as const) : ("FAIL" as const),
  }));
  const document: CalibrationDocument = {
    formatVersion: RUN_FORMAT_VERSION,
    scenario: base.name,
    scenarioFile: opts.scenarioFile,
    fitUntil: opts.fitUntil,
    seed: opts.seed,
    evaluations: nm.evaluations,
    iterations: nm.iterations,
    surrogate:
      "coarse world (each prefecture one municipality; sim/issuance/calibration/coarse-world.ts) with expected-value draws (fluid-run.ts), runs stopped at the last in-sample point",
    objective: nm.value,
    objectiveFullModel: objective(run!, inSample, inSampleFlows),
    parameters: qs.map((q, i) => ({
      path: q.path,
      value: values[i]!,
      min: q.min,
      max: q.max,
      start: starts[i]!,
      log: q.log ?? false,
      fitted: !nm.frozen[i],
      source: q.source,
    })),
    inSample: inErrors,
    outOfSample: outErrors,
    maxAbsErrorInSample: maxAbs(inErrors),
    maxAbsErrorOutOfSample: maxAbs(outErrors),
    prefectures: snapshot.length > 0 ? prefectureCoverage(run!, opts.dataDir, prefDate!, cut) : null,
    flows: flowChecks(run!, flows, opts.fitUntil),
  };
  return { document, values, overrides: overridesFor(values), params, run: run! };
}

/** Coverage (cards ÷ population, %) per prefecture on `date`, simulated against official. */
function prefectureCoverage(
  run: IssuanceRunResult,
  dataDir: string,
  date: string,
  cut: number,
): CalibrationDocument["prefectures"] {
  const official = loadOfficialPrefectures(dataDir, date);
  if (!official) return null;
  const pop = populationOf(dataDir);
  const residents = new Float64Array(pop.prefectures.length);
  pop.municipalities.forEach((m, i) => {
    const k = pop.prefectureOf[i]!;
    residents[k] = residents[k]! + m.population;
  });
  const rows = pop.prefectures.flatMap((name, k) => {
    const o = official.byPrefecture.get(name);
    if (!o || o.population <= 0 || residents[k]! <= 0) return [];
    const officialPercent = (100 * o.cards) / o.population;
    const simulatedPercent = (100 * run.prefectureSnapshots.issued[k]!) / residents[k]!;
    return [
      {
        prefecture: name,
        officialPercent,
        simulatedPercent,
        errorPoints: simulatedPercent - officialPercent,
      },
    ];
  });
  return {
    date,
    outOfSample: parseIsoDate(date) > cut,
    maxAbsErrorPoints: rows.length > 0 ? Math.max(...rows.map((r) => Math.abs(r.errorPoints))) : 0,
    rows,
  };
}
