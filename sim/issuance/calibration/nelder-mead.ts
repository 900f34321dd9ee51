/**
 * A deterministic Nelder–Mead minimiser (Nelder & Mead 1965; coefficients 1, 2, ½, ½ as in Gao &
 * Han 2012 for low dimensions) on the unit box [0, 1]^n through the smooth periodic map
 * u = (1 − cos πz)/2, so every trial point is feasible. Trial points are evaluated in batches by an
 * async function (the caller runs a batch in parallel and returns the values in order); the path
 * taken depends only on the values, never on how the batch was run, so the result is the same
 * whatever the number of threads. Coordinates whose first step leaves the objective exactly unchanged
 * are frozen at their start (the data cannot see them).
 * @module
 */

export interface NelderMeadOptions {
  /** Start in the unit box, one value per coordinate. */
  start: number[];
  maxEvaluations: number;
  /** Initial step in z (the unconstrained coordinate); default 0.15. */
  step?: number;
  /** Evaluate the reflection and the expansion together (2+ threads): same path, fewer rounds. */
  speculative?: boolean;
  /** Stop when the simplex's values differ by less than this (default 1e-9). */
  tolerance?: number;
}

export interface NelderMeadResult {
  /** The best point, in the unit box. */
  best: number[];
  value: number;
  evaluations: number;
  /** Coordinates frozen at their start because the objective did not change with them. */
  frozen: boolean[];
  iterations: number;
}

const toU = (z: number): number => (1 - Math.cos(Math.PI * z)) / 2;
const toZ = (u: number): number => Math.acos(1 - 2 * Math.min(1, Math.max(0, u))) / Math.PI;

/** Minimises `evaluate` (one value per point of each batch, in order). */
export async function nelderMead(
  evaluate: (points: number[][]) => Promise<number[]>,
  opts: NelderMeadOptions,
): Promise<NelderMeadResult> {
  const n0 = opts.start.length;
  const step = opts.step ?? 0.15;
  const tol = opts.tolerance ?? 1e-9;
  let evaluations = 0;
  const cache = new Map<string, number>();
  const full = (z: number[], free: number[], z0: number[]): number[] => {
    const out = z0.slice();
    free.forEach((k, i) => (out[k] = z[i]!));
    return out.map(toU);
  };
  const run = async (zs: number[][], free: number[], z0: number[]): Promise<number[]> => {
    const us = zs.map((z) => full(z, free, z0));
    const keys = us.map((u) => u.map((x) => x.toPrecision(15)).join(","));
    const todo: number[] = [];
    keys.forEach((k, i) => {
      if (!cache.has(k) && !todo.some((j) => keys[j] === k)) todo.push(i);
    });
    if (todo.length > 0) {
      const values = await evaluate(todo.map((i) => us[i]!));
      evaluations += todo.length;
      todo.forEach((i, j) => cache.set(keys[i]!, Number.isFinite(values[j]!) ? values[j]! : Infinity));
    }
    return keys.map((k) => cache.get(k)!);
  };

  // Start and one step along each coordinate (z beyond 1 folds back: the map is periodic).
  const z0 = opts.start.map(toZ);
  const all = Array.from({ length: n0 }, (_, k) => k);
  const first = [
    z0.slice(),
    ...all.map((k) => z0.map((z, j) => (j === k ? z + (z < 0.5 ? step : -step) : z))),
  ];
  const f0 = await run(first, all, z0);
  const frozen = all.map((k) => f0[k + 1] === f0[0]);
  const free = all.filter((k) => !frozen[k]);
  const n = free.length;
  let simplex = [free.map((k) => z0[k]!), ...free.map((k) => first[k + 1]!.filter((_, j) => !frozen[j]))];
  let values = [f0[0]!, ...free.map((k) => f0[k + 1]!)];
  let iterations = 0;
  const sortSimplex = (): void => {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
  };
  const along = (c: number[], w: number[], t: number): number[] => c.map((x, i) => x + t * (w[i]! - x));

  while (n > 0 && evaluations < opts.maxEvaluations) {
    sortSimplex();
    if (values[n]! - values[0]! < tol) break;
    iterations++;
    const centroid = Array.from(
      { length: n },
      (_, i) => simplex.slice(0, n).reduce((s, p) => s + p[i]!, 0) / n,
    );
    const worst = simplex[n]!;
    const reflected = along(centroid, worst, -1);
    const expanded = along(centroid, worst, -2);
    const [fr, feSpec] = opts.speculative
      ? await run([reflected, expanded], free, z0)
      : [(await run([reflected], free, z0))[0]!, undefined];
    if (fr! < values[0]!) {
      const fe = feSpec ?? (await run([expanded], free, z0))[0]!;
      if (fe < fr!) [simplex[n], values[n]] = [expanded, fe];
      else [simplex[n], values[n]] = [reflected, fr!];
      continue;
    }
    if (fr! < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr!];
      continue;
    }
    const outside = fr! < values[n]!;
    const contracted = along(centroid, worst, outside ? -0.5 : 0.5);
    const fc = (await run([contracted], free, z0))[0]!;
    if (fc < (outside ? fr! : values[n]!)) {
      [simplex[n], values[n]] = [contracted, fc];
      continue;
    }
    // Shrink toward the best vertex (one batch).
    const shrunk = simplex.slice(1).map((p) => along(simplex[0]!, p, 0.5));
    const fs = await run(shrunk, free, z0);
    simplex = [simplex[0]!, ...shrunk];
    values = [values[0]!, ...fs];
  }
  sortSimplex();
  return {
    best: full(simplex[0]!, free, z0),
    value: values[0]!,
    evaluations,
    frozen,
    iterations,
  };
}
