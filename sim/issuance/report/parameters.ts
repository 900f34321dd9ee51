/**
 * The report's "Parameters by label" section (issue 9 item 2): every numeric parameter of the
 * scenario, grouped as fitted, assumed and sourced, with its value and its bounds, range or source
 * (sim/issuance/parameter-labels.ts; the same rows as summary.json `parameters`).
 * @module
 */
import { p, type Block } from "./blocks.js";
import { grouped } from "./format.js";
import type { ReportInput } from "./input.js";

const value = (v: number): string => (Number.isInteger(v) ? grouped(v) : String(Number(v.toPrecision(6))));

/** "Parameters by label". */
export function parametersSection(input: ReportInput): Block[] {
  const rows = input.summary.parameters;
  if (!rows || rows.length === 0) return [];
  const count = (l: string): number => rows.filter((r) => r.label === l).length;
  const out: Block[] = [
    { kind: "h", level: 2, text: "Parameters by label", id: "parameters" },
    p(
      `${rows.length} numeric parameters: ${count("fitted")} fitted (to official data, within bounds), ${count("assumed")} assumed (declared guesses with a range), ${count("sourced")} sourced (a figure in FACTS or data/). The target, the crypto sample and the counterfactual, calibration and label blocks are not model parameters.`,
    ),
  ];
  for (const label of ["fitted", "assumed", "sourced"] as const) {
    const these = rows.filter((r) => r.label === label);
    if (these.length === 0) continue;
    out.push({
      kind: "table",
      caption: `${label[0]!.toUpperCase()}${label.slice(1)} (${these.length})`,
      head: [
        "parameter",
        "value",
        label === "sourced" ? "source" : label === "fitted" ? "bounds" : "range",
        "note",
      ],
      align: ["l", "r", "l", "l"],
      rows: these.map((r) => [
        r.path,
        value(r.value),
        r.range ? `${value(r.range[0])} – ${value(r.range[1])}` : r.source,
        r.range ? r.source : "",
      ]),
    });
  }
  return out;
}
