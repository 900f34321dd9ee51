/**
 * calibrated.yaml (issue 9 item 5): a scenario that `extends:` the calibrated one and sets only the
 * fitted values (and the municipal propensity's fit date), so loading it gives exactly the
 * parameters the calibrator ran with. A fitted field inside a list (e.g.
 * `demand.baseAnnualPropensity[0].value`) is written as the whole list, because `extends` replaces
 * lists rather than merging them (scenarios/load-scenario.ts).
 * @module
 */
import { stringify } from "yaml";
import type { CalibrationDocument } from "../../run-format/index.js";
import type { IssuanceParams } from "../params.js";

/** Sets `path` in `overlay` from `params`: the leaf, or the whole list the path first enters. */
function copyPath(overlay: Record<string, unknown>, params: IssuanceParams, path: string): void {
  const segs = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  const firstIndex = segs.findIndex((s) => /^\d+$/.test(s));
  const keep = firstIndex >= 0 ? segs.slice(0, firstIndex) : segs;
  let src: unknown = params;
  let dst = overlay;
  keep.forEach((seg, i) => {
    src = (src as Record<string, unknown>)[seg];
    if (i === keep.length - 1) dst[seg] = structuredClone(src);
    else {
      if (typeof dst[seg] !== "object" || dst[seg] === null) dst[seg] = {};
      dst = dst[seg] as Record<string, unknown>;
    }
  });
}

/** The text of calibrated.yaml; `extendsPath` is the calibrated scenario as seen from the output folder. */
export function calibratedYaml(
  params: IssuanceParams,
  doc: CalibrationDocument,
  extendsPath: string,
  command: string,
): string {
  const overlay: Record<string, unknown> = {};
  for (const q of doc.parameters) copyPath(overlay, params, q.path);
  if (params.demand.municipalPropensity) copyPath(overlay, params, "demand.municipalPropensity.fitDate");
  overlay["calibrate"] = { fittedUntil: doc.fitUntil };
  const fitted = doc.parameters.filter((q) => q.fitted).length;
  const header = [
    `# Written by: ${command}`,
    `# ${fitted} of ${doc.parameters.length} parameters fitted on official data up to ${doc.fitUntil} (${doc.evaluations} model runs);`,
    `# the others had no in-sample point to move and stayed at their declared start. Errors: calibration.json.`,
    ...doc.parameters.map(
      (q) =>
        `#   ${q.path} = ${q.value} (${q.fitted ? "fitted" : "prior, not fitted"}; bounds ${q.min}..${q.max}, start ${q.start})`,
    ),
  ];
  return `${header.join("\n")}\n${stringify({ extends: extendsPath, ...overlay }, { lineWidth: 0 })}`;
}
