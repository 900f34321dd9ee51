/**
 * Parameter uncertainty by Latin hypercube (issue 9 item 6; McKay, Beckman & Conover 1979): with R
 * replications, each parameter of the scenario's `uncertainty:` block has its range cut into R equal
 * strata; replication r takes, for parameter j, the stratum π_j(r) of a random permutation π_j and a
 * uniform point inside it. Every stratum of every parameter is used exactly once, so R replications
 * cover each range evenly. The permutations and offsets come from the named stream
 * `issuance.uncertainty` of the run's seed (engine/random), computed from (seed, R) alone: the same
 * on any thread, in any order. Bands over such replications cover sampling noise AND the parameter
 * ranges; without an `uncertainty:` block they cover sampling noise only.
 * @module
 */
import { InputError } from "../../../engine/errors.js";
import { RandomStreams } from "../../../engine/random/index.js";
import type { IssuanceParams } from "../params.js";

/** One replication's sampled value of each uncertain parameter, in block order. */
export function latinHypercube(
  seed: number,
  replications: number,
  ranges: { min: number; max: number }[],
): number[][] {
  const rng = new RandomStreams(seed).stream("issuance.uncertainty", 0);
  const columns = ranges.map(({ min, max }) => {
    const perm = Array.from({ length: replications }, (_, i) => i);
    for (let i = replications - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return perm.map((stratum) => min + ((stratum + rng.next()) / replications) * (max - min));
  });
  return Array.from({ length: replications }, (_, r) => columns.map((c) => c[r]!));
}

/** The object holding the last segment of `path` (`a.b[0].c`) in `root`, and that segment; undefined when absent. */
function locate(root: unknown, path: string): { node: Record<string, unknown>; key: string } | undefined {
  const segs = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, seg))
      return undefined;
    if (i === segs.length - 1) return { node: node as Record<string, unknown>, key: seg };
    node = (node as Record<string, unknown>)[seg];
  }
  return undefined;
}

/**
 * Problems of the `uncertainty:` block's paths: each must lead to a number of the scenario (checked
 * when the scenario is loaded, so `validate` and `run` report it as bad input).
 */
export function uncertaintyPathProblems(params: IssuanceParams): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  (params.uncertainty?.parameters ?? []).forEach((q, index) => {
    const at = locate(params, q.path);
    if (at === undefined) out.push({ index, message: `${q.path} is not a field of the scenario` });
    else if (typeof at.node[at.key] !== "number")
      out.push({ index, message: `${q.path} is not a number (only numeric fields can be sampled)` });
  });
  return out;
}

/** Sets the number at `path` (`a.b[0].c`) in a copy of `params`; the path must lead to a number. */
function withValue(params: IssuanceParams, path: string, value: number): IssuanceParams {
  const out = structuredClone(params);
  const at = locate(out, path);
  if (at === undefined || typeof at.node[at.key] !== "number")
    throw new InputError(`uncertainty: ${path} is not a numeric field of the scenario`, "E_SCENARIO");
  at.node[at.key] = value;
  return out;
}

/**
 * The parameters replication `replication` of `replications` runs with: `params` with each
 * uncertain parameter at its Latin-hypercube value (unchanged without an `uncertainty:` block).
 */
export function sampledParams(
  params: IssuanceParams,
  seed: number,
  replication: number,
  replications: number,
): IssuanceParams {
  const block = params.uncertainty;
  if (!block || block.parameters.length === 0) return params;
  const row = latinHypercube(seed, replications, block.parameters)[replication]!;
  return block.parameters.reduce((p, q, j) => withValue(p, q.path, row[j]!), params);
}

/** What the run's bands cover, for summary.json and the report. */
export function uncertaintyCoverage(
  params: IssuanceParams,
  replications: number,
): {
  covers: "sampling noise only" | "sampling noise and parameter ranges";
  parameters: { path: string; min: number; max: number; label: "fitted" | "assumed" }[];
  note: string;
} {
  const qs = params.uncertainty?.parameters ?? [];
  if (qs.length === 0)
    return {
      covers: "sampling noise only",
      parameters: [],
      note: "Every replication runs with the same parameters: the intervals show the model's random draws only, not what is unknown about its parameters.",
    };
  return {
    covers: "sampling noise and parameter ranges",
    parameters: qs.map((q) => ({ path: q.path, min: q.min, max: q.max, label: q.label })),
    note:
      `The ${replications} replications sample ${qs.length} parameter${qs.length === 1 ? "" : "s"} over their ranges by Latin hypercube (one stratum of each range per replication), ` +
      "so the intervals cover parameter uncertainty as well as the random draws" +
      (replications < 10
        ? `; with only ${replications} replication${replications === 1 ? "" : "s"} the ranges are coarsely covered (use 10 or more)`
        : "") +
      ".",
  };
}
