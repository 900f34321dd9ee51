/**
 * Fidelity against the official series: the national cumulative cards at every official date and, on
 * the latest prefecture date, each prefecture's share and coverage, with the prefectures that lag
 * most ranked (romanised names beside the kanji). The national figures are IN-SAMPLE: the shipped
 * scenarios' national parameters were set with these official figures in view. When the scenario fits
 * propensity by municipality (sim/issuance/uptake.ts) on data up to a fit date, the prefecture
 * comparison on a later date is OUT OF SAMPLE for that fit and is labelled so, and the comparison on
 * the fitted date is shown apart as in-sample. Nothing here is graded PASS or FAIL.
 * @module
 */
import { barChart } from "../../../engine/charts/index.js";
import {
  laggingPrefectures,
  prefectureBars,
  prefectureLabel,
  type PrefectureFidelity,
} from "../../run-format/index.js";
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
  const fittedUntil = input.params.calibrate?.fittedUntil;
  out.push(
    fittedUntil && fid.national.some((r) => r.date > fittedUntil)
      ? p(
          { b: `In sample up to ${fittedUntil}, out of sample after it.` },
          ` The free parameters were fitted on official data up to ${fittedUntil} (myna-twin calibrate); the later dates are graded in "Calibration and uncertainty" below.`,
        )
      : p(
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
    const fit = fid.uptakeFit ?? null;
    const outOfSample = fit !== null && pf.date > fit.fitDate;
    const sample = outOfSample ? "out of sample" : "in-sample";
    out.push({ kind: "h", level: 3, text: `Prefectures on ${pf.date}` });
    out.push(
      fit
        ? p(
            { b: outOfSample ? "Out of sample for municipal uptake." : "In-sample for municipal uptake." },
            ` Propensity by municipality was fitted on the official per-municipality figures of ${fit.observedOn} (fit date ${fit.fitDate}; shrinkage ${grouped(fit.shrinkage, 2)}); ${outOfSample ? `no official data after ${fit.fitDate} was read, so the differences between prefectures on ${pf.date} are predicted, not fitted` : "this date's data was used by the fit"}. The national level on this date is still in-sample (see above).`,
          )
        : p(
            { b: "In-sample, no municipal uptake:" },
            " demand is proportional to population, so every prefecture's coverage follows the national level.",
          ),
    );
    out.push(
      p(
        { b: `Prefecture share (${sample}):` },
        ` max abs error ${grouped(pf.maxAbsShareErrorPoints, 2)} points (${prefectureLabel(worstShare.prefecture)}).`,
      ),
    );
    out.push(
      p(
        { b: `Coverage (cards per resident, ${sample}):` },
        ` max abs error ${grouped(pf.maxAbsCoverageErrorPoints, 2)} points (${prefectureLabel(worstCov.prefecture)}: simulated ${pct(worstCov.simulatedCoverage, 2)}, official ${pct(worstCov.officialCoverage, 2)}).`,
        ` ${spreadText(pf)}`,
        ` Across prefectures the simulated coverage ranges ${rangeOf(pf.rows.map((r) => r.simulatedCoverage))}, the official ${rangeOf(pf.rows.map((r) => r.officialCoverage))}.`,
        national
          ? ` On this date the national total is off by ${signed(national.errorPercent, 2)} %, which shifts every prefecture's coverage in the same direction; shares cancel that level error, coverage does not.`
          : " Coverage errors include any national level error, which shares cancel.",
      ),
    );
    if (fit?.inSample) out.push(inSampleParagraph(fit.inSample, fit.fitDate));
    out.push(laggingTable(pf));
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
        prefectureLabel(r.prefecture),
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

/** The fitted date's prefecture coverage error, labelled in-sample. */
function inSampleParagraph(f: PrefectureFidelity, fitDate: string): Block {
  const worst = f.rows.reduce((a, r) =>
    Math.abs(r.simulatedCoverage - r.officialCoverage) > Math.abs(a.simulatedCoverage - a.officialCoverage)
      ? r
      : a,
  );
  return p(
    {
      b: `Coverage on ${f.date} (in-sample: the date the propensities were fitted on, fit date ${fitDate}):`,
    },
    ` max abs error ${grouped(f.maxAbsCoverageErrorPoints, 2)} points (${prefectureLabel(worst.prefecture)}: simulated ${pct(worst.simulatedCoverage, 2)}, official ${pct(worst.officialCoverage, 2)}); share max abs error ${grouped(f.maxAbsShareErrorPoints, 2)} points. ${spreadText(f)}`,
  );
}

function laggingTable(pf: PrefectureFidelity): Block {
  const rows = laggingPrefectures(pf.rows);
  return {
    kind: "table",
    caption: `Lagging prefectures: the ${int(rows.length)} with the lowest official coverage on ${pf.date}, and the simulation's coverage (points = percentage points)`,
    head: ["rank", "prefecture", "official coverage %", "simulated coverage %", "error (points)"],
    align: ["r", "l", "r", "r", "r"],
    rows: rows.map((r, i) => [
      int(i + 1),
      prefectureLabel(r.prefecture),
      grouped(r.officialCoverage, 2),
      grouped(r.simulatedCoverage, 2),
      signed(r.simulatedCoverage - r.officialCoverage, 2),
    ]),
  };
}

/**
 * The coverage error without the common level: each prefecture's error minus the mean error over
 * prefectures, so what is left is how well the differences between prefectures are reproduced.
 */
export function coverageSpread(f: PrefectureFidelity): {
  meanError: number;
  maxAbs: number;
  meanAbs: number;
} {
  const e = f.rows.map((r) => r.simulatedCoverage - r.officialCoverage).filter(finite);
  if (e.length === 0) return { meanError: Number.NaN, maxAbs: Number.NaN, meanAbs: Number.NaN };
  const meanError = e.reduce((a, b) => a + b, 0) / e.length;
  const dev = e.map((x) => Math.abs(x - meanError));
  return { meanError, maxAbs: Math.max(...dev), meanAbs: dev.reduce((a, b) => a + b, 0) / dev.length };
}

function spreadText(f: PrefectureFidelity): string {
  const s = coverageSpread(f);
  return `Mean error over prefectures ${signed(s.meanError, 2)} points; without it, max abs ${grouped(s.maxAbs, 2)} and mean abs ${grouped(s.meanAbs, 2)} points.`;
}

function rangeOf(values: number[]): string {
  const v = values.filter(finite);
  if (v.length === 0) return DASH;
  return `${grouped(Math.min(...v), 1)} – ${grouped(Math.max(...v), 1)} %`;
}
