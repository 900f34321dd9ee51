/**
 * calibration.md: the calibration for a reader (issue 9 item 5) — how many parameters were fitted on
 * which window, each with its bounds, then the error in sample and out of sample in separate tables
 * (PASS/FAIL only out of sample: a fit to the same points proves nothing), prefecture coverage and
 * the flows of FACTS §4.1.
 * @module
 */
import { OUT_OF_SAMPLE_TOLERANCE, type CalibrationDocument } from "../../run-format/index.js";

const pct = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} %`;
const num = (x: number): string => Math.round(x).toLocaleString("en-US");
const val = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

export function calibrationMarkdown(doc: CalibrationDocument): string {
  const fitted = doc.parameters.filter((q) => q.fitted);
  const lines: string[] = [
    `# Calibration of ${doc.scenario} on official data up to ${doc.fitUntil}`,
    "",
    `${fitted.length} of ${doc.parameters.length} parameters fitted on the window up to ${doc.fitUntil} ` +
      `(${doc.inSample.length} in-sample official points; ${doc.evaluations} model runs, ${doc.iterations} Nelder–Mead iterations, seed ${doc.seed}; ` +
      `mean squared log error ${doc.objective.toPrecision(3)} in the optimiser's runs, ${doc.objectiveFullModel.toPrecision(3)} in the full model). ` +
      `The optimiser's runs: ${doc.surrogate}. Parameters no in-sample point could move stayed at their declared start (a prior, not a fit).`,
    "",
    "| parameter | value | bounds | start | status |",
    "|---|---:|---|---:|---|",
    ...doc.parameters.map(
      (q) =>
        `| ${q.path} | ${val(q.value)} | ${q.min} … ${q.max}${q.log ? " (log)" : ""} | ${q.start} | ${q.fitted ? "fitted" : "prior (not in the window)"} |`,
    ),
    "",
    `## In sample (≤ ${doc.fitUntil}): how well the fit went — not a test`,
    "",
  ];
  const table = (rows: CalibrationDocument["inSample"], verdicts?: string[]): string[] => [
    `| date | series | official | simulated | error |${verdicts ? " check |" : ""}`,
    `|---|---|---:|---:|---:|${verdicts ? "---|" : ""}`,
    ...rows.map(
      (r, i) =>
        `| ${r.date} | ${r.series === "applications_cumulative" ? "applications" : "cards issued"} | ${num(r.official)} | ${num(r.simulated)} | ${pct(r.relativeError)} |${verdicts ? ` ${verdicts[i]} |` : ""}`,
    ),
  ];
  lines.push(...(doc.inSample.length > 0 ? table(doc.inSample) : ["No in-sample point."]));
  if (doc.maxAbsErrorInSample !== null)
    lines.push("", `Largest in-sample error: ${pct(doc.maxAbsErrorInSample)}.`);
  lines.push(
    "",
    `## Out of sample (> ${doc.fitUntil}): the test (PASS within ±${100 * OUT_OF_SAMPLE_TOLERANCE} %)`,
    "",
  );
  if (doc.outOfSample.length > 0) {
    lines.push(
      ...table(
        doc.outOfSample,
        doc.outOfSample.map((r) => r.verdict),
      ),
    );
    const fails = doc.outOfSample.filter((r) => r.verdict === "FAIL").length;
    lines.push(
      "",
      `Largest out-of-sample error: ${pct(doc.maxAbsErrorOutOfSample!)}; ${doc.outOfSample.length - fails} PASS, ${fails} FAIL.`,
    );
  } else lines.push("No official point after the fit date within the scenario's period.");
  if (doc.prefectures) {
    const p = doc.prefectures;
    const worst = [...p.rows].sort((a, b) => Math.abs(b.errorPoints) - Math.abs(a.errorPoints)).slice(0, 5);
    lines.push(
      "",
      `## Prefecture coverage on ${p.date} (${p.outOfSample ? "out of sample" : "in sample"})`,
      "",
      `Largest error ${p.maxAbsErrorPoints.toFixed(2)} points (target ±4, goal ±2). Worst five:`,
      "",
      "| prefecture | official % | simulated % | error (points) |",
      "|---|---:|---:|---:|",
      ...worst.map(
        (r) =>
          `| ${r.prefecture} | ${r.officialPercent.toFixed(1)} | ${r.simulatedPercent.toFixed(1)} | ${r.errorPoints.toFixed(2)} |`,
      ),
    );
  }
  if (doc.flows.length > 0) {
    lines.push(
      "",
      "## Flows (FACTS §4.1; target ±20 %)",
      "",
      "| flow | official | simulated | error | window |",
      "|---|---:|---:|---:|---|",
      ...doc.flows.map(
        (f) =>
          `| ${f.name} | ${num(f.official)} | ${num(f.simulated)} | ${pct(f.relativeError)} | ${f.outOfSample ? "out of sample" : "in sample"} |`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
