/**
 * Checks a benchmark's `--json` document (DESIGN.md §8): `{ machine, versions, results: [{ name, unit,
 * value, higherIsBetter, reference: { name, value } | null, ratio }] }`.
 * @module
 */

import { Checker } from "./_check.js";
import type { BenchDocument, BenchResult } from "./run-types.js";

/**
 * @param json the parsed file
 * @param file its name, for messages
 * @returns the typed document
 * @throws {RunDataError} naming the file and the first malformed field
 */
export function validateBench(json: unknown, file: string): BenchDocument {
  const c = new Checker(file);
  const d = c.object(json, "the document");
  const results: BenchResult[] = c.array(d.results, "results").map((r, i) => {
    const w = `results[${i}]`;
    const o = c.object(r, w);
    let reference: BenchResult["reference"] = null;
    if (o.reference !== null && o.reference !== undefined) {
      const ref = c.object(o.reference, `${w}.reference`);
      reference = {
        name: c.string(ref.name, `${w}.reference.name`),
        value: c.number(ref.value, `${w}.reference.value`),
      };
    }
    return {
      name: c.string(o.name, `${w}.name`),
      unit: c.string(o.unit, `${w}.unit`),
      value: c.number(o.value, `${w}.value`),
      higherIsBetter: c.boolean(o.higherIsBetter, `${w}.higherIsBetter`),
      reference,
      ratio: c.numberOrNull(o.ratio, `${w}.ratio`),
    };
  });
  return {
    machine: d.machine === undefined ? {} : c.object(d.machine, "machine"),
    versions: d.versions === undefined ? {} : c.object(d.versions, "versions"),
    results,
  };
}
