/**
 * The scenario's `calibrate:` and `uncertainty:` blocks (issue 9 items 5 and 6) as the model's
 * parameter type carries them: which scenario fields `myna-twin calibrate` fits (key paths in the
 * `--set` syntax of scenarios/overrides.ts, with bounds and a fixed start), and which fields the
 * replications sample over a range by Latin hypercube. Field meanings: scenarios/README.md.
 * @module
 */

/** One free parameter of the calibration. */
export interface CalibratedParameter {
  /** Key path as for `--set`, e.g. `demand.response.points.level`. */
  path: string;
  min: number;
  max: number;
  /**
   * Where the optimiser starts (the prior guess); the value stays here when the fit window holds
   * no data the parameter affects (e.g. Mynapoint 2's yen exponent with a 2021 cut). Absent: the
   * middle of the bounds (of their logarithms with `log: true`).
   */
  start?: number;
  /** Optimise log(value) instead of value (for positive scale parameters). */
  log?: boolean;
  /** Why these bounds (source or declared assumption). */
  source: string;
}

export interface CalibrateBlock {
  parameters: CalibratedParameter[];
  /** Optimiser budget: model evaluations at most (default 120). */
  maxEvaluations?: number;
  /**
   * The last date of official data the values were fitted on (`myna-twin calibrate --fit-until`,
   * written into calibrated.yaml): official points after it are out of sample in the run's report.
   */
  fittedUntil?: string;
}

/** One parameter whose range the replications sample. */
export interface UncertainParameter {
  path: string;
  min: number;
  max: number;
  /** `fitted`: the calibrate bounds' range around a fitted value; `assumed`: a declared guess. */
  label: "fitted" | "assumed";
  source: string;
}

export interface UncertaintyBlock {
  /** Latin hypercube over these ranges, one stratum per replication. */
  parameters: UncertainParameter[];
}

/** A problem in one of the blocks: the field and what was expected. */
export interface BlockProblem {
  path: (string | number)[];
  message: string;
}

/** Cross-field rules: min < max, start within bounds, log scale only on positive bounds, no path twice. */
export function blockProblems(calibrate?: CalibrateBlock, uncertainty?: UncertaintyBlock): BlockProblem[] {
  const out: BlockProblem[] = [];
  const check = (
    block: "calibrate" | "uncertainty",
    list: { path: string; min: number; max: number; start?: number; log?: boolean }[],
  ): void =>
    list.forEach((q, i, all) => {
      const at = (f: string): (string | number)[] => [block, "parameters", i, f];
      if (!(q.min < q.max)) out.push({ path: at("max"), message: `must be above min (${q.min})` });
      if (q.start !== undefined && (q.start < q.min || q.start > q.max))
        out.push({ path: at("start"), message: `must lie within min..max (${q.min}..${q.max})` });
      if (q.log && q.min <= 0) out.push({ path: at("min"), message: "must be above 0 when log: true" });
      if (all.findIndex((o) => o.path === q.path) < i)
        out.push({ path: at("path"), message: `${q.path} is listed twice` });
    });
  check("calibrate", calibrate?.parameters ?? []);
  check("uncertainty", uncertainty?.parameters ?? []);
  return out;
}
