/**
 * Fidelity against the official series: the national cumulative cards at every official date (PASS
 * within ±10 %) and, on the validation date, each prefecture's share (PASS within ±3 points) and
 * coverage (shown as it is, no target).
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
  const nationalPass = beyond.length === 0;
  out.push({
    kind: "p",
    className: nationalPass ? "verdict-pass" : "verdict-fail",
    content: [
      { b: nationalPass ? "National: PASS." : "National: FAIL." },
      ` Target: simulated cumulative cards within ±10 % of the official figure at every official date. ${int(fid.national.length)} official dates; max abs error ${pct(fid.maxAbsErrorPercent, 2)} (${worst.date}); ${int(beyond.length)} date${beyond.length === 1 ? "" : "s"} outside ±10 %.`,
    ],
  });
  out.push({
    kind: "table",
    caption: "National cumulative cards issued",
    head: ["date", "official", "simulated", "error %"],
    align: ["l", "r", "r", "r"],
    rows: fid.national.map((r) => [r.date, int(r.official), int(r.simulated), signed(r.errorPercent, 2)]),
  });
  const pf = fid.prefectures;
  if (pf) {
    const sharePass = pf.maxAbsShareErrorPoints <= 3;
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
    out.push({
      kind: "p",
      className: sharePass ? "verdict-pass" : "verdict-fail",
      content: [
        { b: sharePass ? "Prefecture share: PASS." : "Prefecture share: FAIL." },
        ` Target: each prefecture's share of the nation's cards within ±3 points of the official share. Max abs error ${grouped(pf.maxAbsShareErrorPoints, 2)} points (${worstShare.prefecture}).`,
      ],
    });
    out.push(
      p(
        { b: "Coverage (cards per resident) has no acceptance target and is shown as it is:" },
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
