/**
 * Checks a parsed `sweep.json` (written by `myna-twin sweep`): the varied keys with their values and
 * one row per grid point with the date the target was reached.
 * @module
 */

import { Checker, fail } from "./_check.js";
import type { SweepDocument, SweepRow } from "./run-types.js";

/**
 * @param json the parsed file
 * @returns the typed sweep
 * @throws {RunDataError} naming the first malformed field, or a row whose point lacks a varied key
 */
export function validateSweep(json: unknown): SweepDocument {
  const c = new Checker("sweep.json");
  const s = c.object(json, "the document");
  const vary = c.array(s.vary, "vary").map((v, i) => {
    const o = c.object(v, `vary[${i}]`);
    return {
      key: c.string(o.key, `vary[${i}].key`),
      values: c.array(o.values, `vary[${i}].values`).map((x, k) => String(c.string(x, `vary[${i}].values[${k}]`))),
    };
  });
  if (vary.length === 0) fail("sweep.json: vary is empty (a sweep varies at least one key)");
  const rows: SweepRow[] = c.array(s.rows, "rows").map((r, i) => {
    const w = `rows[${i}]`;
    const o = c.object(r, w);
    const p = c.object(o.point, `${w}.point`);
    const point: Record<string, string> = {};
    for (const v of vary) {
      const x = p[v.key];
      if (x === undefined) fail(`sweep.json: ${w}.point has no value for the varied key ${v.key}`);
      point[v.key] = String(x);
    }
    return {
      point,
      reachedByTargetDate: c.boolean(o.reachedByTargetDate, `${w}.reachedByTargetDate`),
      reachedOn: c.dayOrNull(o.reachedOn, `${w}.reachedOn`),
      cardsOnTargetDate: c.numberOrNull(o.cardsOnTargetDate, `${w}.cardsOnTargetDate`),
      bindingConstraint: c.string(o.bindingConstraint, `${w}.bindingConstraint`),
      leadTimeP50: c.numberOrNull(o.leadTimeP50, `${w}.leadTimeP50`),
      leadTimeP90: c.numberOrNull(o.leadTimeP90, `${w}.leadTimeP90`),
      leadTimeP99: c.numberOrNull(o.leadTimeP99, `${w}.leadTimeP99`),
    };
  });
  return {
    scenario: c.string(s.scenario, "scenario"),
    seed: c.number(s.seed, "seed"),
    replications: c.number(s.replications, "replications"),
    vary,
    rows,
  };
}
