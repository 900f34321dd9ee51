/**
 * The text table every benchmark prints (stdout without `--json`, stderr with it): each result with
 * its tinybench RME, its reference, the ratio, the target and whether it is met (`meetsTarget` of
 * sim/run-format/bench.ts).
 * @module
 */
import type { BenchResult } from "../sim/run-format/bench.js";
import { meetsTarget } from "../sim/run-format/bench.js";

/** Formats a number for tables: 3 significant figures, thousands separators. */
export function formatNumber(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString("en-US");
  return Number(x.toPrecision(3)).toString();
}

/** The target as text: `≥ 0.9×` for a ratio, `≤ 200 ns/lookup` for a value, `—` without one. */
export function formatTarget(r: BenchResult): string {
  if (r.target === null) return "—";
  if (r.reference !== null) return `≥ ${formatNumber(r.target)}×`;
  return `${r.higherIsBetter ? "≥" : "≤"} ${formatNumber(r.target)} ${r.unit}`;
}

/** A plain-text table of results with pass/fail against each target. */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => {
    const met = meetsTarget(r);
    return [
      r.name,
      `${formatNumber(r.value)} ${r.unit}${r.rme !== undefined ? ` ±${r.rme.toFixed(1)}%` : ""}`,
      r.reference ? `${formatNumber(r.reference.value)} (${r.reference.name})` : "—",
      r.ratio === null ? "—" : `${r.ratio.toFixed(2)}×`,
      formatTarget(r),
      met === null ? "—" : met ? "pass" : "FAIL",
    ];
  });
  const header = ["benchmark", "ours", "reference (same work, same run)", "ratio", "target", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
