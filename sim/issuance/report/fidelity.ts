/**
 * Fidelity against the official series: the national cumulative cards at every official date and, on
 * the latest prefecture date, each prefecture's share and coverage. All of it is IN-SAMPLE: the
 * shipped scenarios' parameters were set with these official figures in view, and no scenario yet
 * declares a fit window with data held out (DESIGN.md §7), so nothing here is graded PASS or FAIL —
 * the errors are shown as what they are.
 * @module
 */
import { barChart } from "../../../engine/charts/index.js";
import { prefectureBars } from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { DASH, finite, grouped, int, pct, signed } from "./format.js";
import type { ReportInput } from "./input.js";

/** The fidelity section, or nothing when the run was not compared with official data. */
export function fidelitySection(input: ReportInput): Block[] {
  const fid = input.summary.fidelity;
  if (fid.national.length === 0) return [];
  const out: Block[] = [
    { kind: "h", level: 2, text: "Fidelity against the official series", id: "fidelity" },
  ];
  const beyond = fid.national.filter((r) => Math.abs(r.errorPercent) > 10);
  const worst = fid.national.reduce((a, r) => (Math.abs(r.errorPercent) > Math.abs(a.errorPercent) ? r : a));
  out.push(
    p(
      { b: "In-sample error, not a validation." },
      " The scenario's parameters were set with these official figures in view and none were held out, so this shows how closely the model reproduces what it was fitted to; it is not graded.",
    ),
  );
  out.push(
    p(
      { b: "National:" },
      ` ${int(fid.national.length)} official dates; max abs error ${pct(fid.maxAbsErrorPercent, 2)} (${worst.date}); ${int(beyond.length)} date${beyond.length === 1 ? "" : "s"} outside ±10 %.`,
    ),
  );
  out.push({
    kind: "table",
    caption: "National cumulative cards issued",
    head: ["date", "official", "simulated", "error %"],
    align: ["l", "r", "r", "r"],
    rows: fid.national.map((r) => [r.date, int(r.official), int(r.simulated), signed(r.errorPercent, 2)]),
  });
  const pf = fid.prefectures;
  if (pf) {
    const worstShare = pf.rows.reduce((a, r) =>
      Math.abs(r.simulatedShare - r.officialShare) > Math.abs(a.simulatedShare - a.officialShare) ? r : a,
    );
    const worstCov = pf.rows.reduce((a, r) =>
      Math.abs(r.simulatedCoverage - r.officialCoverage) > Math.abs(a.simulatedCoverage - a.officialCoverage)
        ? r
        : a,
    );
    const national = fid.national.find((r) => r.date === pf.date);
    out.push({ kind: "h", level: 3, text: `Prefectures on ${pf.date}` });
    out.push(
      p(
        { b: "Prefecture share (in-sample):" },
        ` max abs error ${grouped(pf.maxAbsShareErrorPoints, 2)} points (${worstShare.prefecture}). Demand is population-proportional, so shares follow population and say little about uptake; coverage below shows the difference.`,
      ),
    );
    out.push(
      p(
        { b: "Coverage (cards per resident, in-sample):" },
        ` max abs error ${grouped(pf.maxAbsCoverageErrorPoints, 2)} points (${worstCov.prefecture}: simulated ${pct(worstCov.simulatedCoverage, 2)}, official ${pct(worstCov.officialCoverage, 2)}).`,
        ` Across prefectures the simulated coverage ranges ${rangeOf(pf.rows.map((r) => r.simulatedCoverage))}, the official ${rangeOf(pf.rows.map((r) => r.officialCoverage))}.`,
        national
          ? ` On this date the national total is off by ${signed(national.errorPercent, 2)} %, which shifts every prefecture's coverage in the same direction; shares cancel that level error, coverage does not.`
          : " Coverage errors include any national level error, which shares cancel.",
      ),
    );
    const svg = barChart(prefectureBars(pf.rows, "coverage"), {
      id: "chart-prefectures",
      title: `Card coverage by prefecture on ${pf.date}: simulated (bars) vs official (marks)`,
      xLabel: "cards per 100 residents (%)",
      format: ",.1f",
      tooltipFormat: ",.2f",
      valueName: "simulated",
      markerName: "official",
      sort: "descending",
      width: 960,
    });
    out.push({ kind: "only", format: "html", blocks: [{ kind: "chart", svg }] });
    out.push({
      kind: "table",
      caption: `Share of the nation's cards and coverage by prefecture, ${pf.date} (points = percentage points)`,
      head: [
        "prefecture",
        "official share %",
        "simulated share %",
        "share error (points)",
        "official coverage %",
        "simulated coverage %",
        "coverage error (points)",
      ],
      align: ["l", "r", "r", "r", "r", "r", "r"],
      rows: pf.rows.map((r) => [
        r.prefecture,
        grouped(r.officialShare, 3),
        grouped(r.simulatedShare, 3),
        signed(r.simulatedShare - r.officialShare, 3),
        grouped(r.officialCoverage, 2),
        grouped(r.simulatedCoverage, 2),
        signed(r.simulatedCoverage - r.officialCoverage, 2),
      ]),
    });
  }
  return out;
}

function rangeOf(values: number[]): string {
  const v = values.filter(finite);
  if (v.length === 0) return DASH;
  return `${grouped(Math.min(...v), 1)} – ${grouped(Math.max(...v), 1)} %`;
}
