/**
 * The run-output format as the dashboard reads it (DESIGN.md §4): the parts of `summary.json`,
 * `manifest.json`, `sweep.json` and the benchmark documents of DESIGN.md §8 that the views draw, plus
 * the index of run directories the Vite plugin serves. Declared here rather than imported from sim/,
 * because the dashboard depends on the files a run writes, not on the simulation code that writes them.
 * Every field is checked at run time by the `validate-*` modules before a view sees it.
 * @module
 */

/** A mean with its 95 % confidence interval across replications. */
export interface Interval {
  mean: number;
  lower: number;
  upper: number;
}

/** One official date compared with the simulation. */
export interface NationalFidelityRow {
  date: string;
  official: number;
  simulated: number;
  errorPercent: number;
}

/** One prefecture's share of the nation's cards and coverage, simulated and official. */
export interface PrefectureRow {
  prefecture: string;
  officialShare: number;
  simulatedShare: number;
  officialCoverage: number;
  simulatedCoverage: number;
}

/** Lead-time percentiles in days. */
export interface LeadTimes {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

/** The headline answers of one run (`summary.json`). */
export interface RunSummary {
  scenario: string;
  seed: number;
  replications: number;
  period: { start: string; end: string };
  target: {
    cards: number;
    date: string;
    reached: boolean;
    reachedShare: number;
    reachedOn: string | null;
    cardsOnTargetDate: Interval | null;
    shortfallOnTargetDate: number | null;
  };
  bindingConstraint: { stage: string; explanation: string };
  leadTimeDays: { all: LeadTimes; toTargetDate: LeadTimes | null };
  peakBacklogs: Record<string, { cards: number; date: string }>;
  fidelity: {
    national: NationalFidelityRow[];
    maxAbsErrorPercent: number | null;
    prefectures: {
      date: string;
      maxAbsShareErrorPoints: number;
      maxAbsCoverageErrorPoints: number;
      rows: PrefectureRow[];
    } | null;
  };
}

/** The parts of `manifest.json` the dashboard shows. */
export interface RunManifest {
  runId: string | null;
  command: string | null;
  kind: "run" | "sweep";
  seed: number | null;
  replications: number | null;
  wallSeconds: number | null;
  gitCommit: string | null;
}

/** One grid point of a sweep (`sweep.json` rows). */
export interface SweepRow {
  /** Varied key → value, as written on the command line. */
  point: Record<string, string>;
  reachedByTargetDate: boolean;
  reachedOn: string | null;
  cardsOnTargetDate: number | null;
  bindingConstraint: string;
  leadTimeP50: number | null;
  leadTimeP90: number | null;
  leadTimeP99: number | null;
}

/** A whole `sweep.json`. */
export interface SweepDocument {
  scenario: string;
  seed: number;
  replications: number;
  vary: { key: string; values: string[] }[];
  rows: SweepRow[];
}

/** One benchmark figure beside its reference (DESIGN.md §8). */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  higherIsBetter: boolean;
  reference: { name: string; value: number } | null;
  /** Ours over the reference, above 1 = we are better; null without a reference. */
  ratio: number | null;
}

/** A benchmark's `--json` document. */
export interface BenchDocument {
  machine: Record<string, unknown>;
  versions: Record<string, unknown>;
  results: BenchResult[];
}

/** The headline of a run as the run list shows it. */
export interface RunHeadline {
  targetCards: number;
  targetDate: string;
  reached: boolean;
  reachedShare: number;
  reachedOn: string | null;
  cardsOnTargetDate: number | null;
  bindingConstraint: string;
}

/** One directory under the reports folder, as the index lists it. */
export interface RunIndexEntry {
  /** Path relative to the reports folder, `/`-separated; also the URL path under `data/runs/`. */
  id: string;
  kind: "run" | "sweep";
  /** `ok`: every file the dashboard needs is present and readable. */
  status: "ok" | "error";
  /** Why the run cannot be shown (status `error`), in one sentence. */
  problem: string | null;
  /** Files the server will hand out for this run. */
  files: string[];
  scenario: string | null;
  runId: string | null;
  /** When the run was made, `YYYY-MM-DD HH:MM` UTC (from the run id, else the directory's time). */
  date: string | null;
  seed: number | null;
  replications: number | null;
  period: { start: string; end: string } | null;
  headline: RunHeadline | null;
  /** For sweeps: the varied keys, the number of grid points and how many reached the target by its date. */
  sweep: { keys: string[]; points: number; reachedByTargetDate: number } | null;
}

/** `data/index.json`. */
export interface RunIndex {
  /** The reports folder, for display. */
  source: string;
  runs: RunIndexEntry[];
}

/** One file of the benchmark results folder. */
export interface BenchEntry {
  file: string;
  status: "ok" | "error";
  problem: string | null;
  document: BenchDocument | null;
}

/** `data/bench.json`. */
export interface BenchIndex {
  source: string;
  documents: BenchEntry[];
}
