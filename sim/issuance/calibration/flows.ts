/**
 * The flows of FACTS §4.1 (data/issuance-national-flows.csv: cards issued in March 2016, calendar
 * 2020, FY2020 and the peak months Oct 2022 → Mar 2023; applications in May and June 2020 and per
 * day in Aug–Nov 2025 and the last week of the insurance-card transition; cards issued per day that
 * week), which the cumulative curve hides (issue 9 targets, ±20 %). A flow that ends on or before the
 * fit date joins the calibration objective; the others are out of sample.
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseIsoDate } from "../../../engine/calendar.js";
import { InputError } from "../../../engine/errors.js";
import type { FlowCheck } from "../../run-format/calibration.js";
import type { IssuanceRunResult } from "../model.js";
import { readCsv } from "../population.js";

export interface FlowSpec {
  name: string;
  series: "cards_issued_daily" | "applications_daily";
  from: string;
  to: string;
  /** Total over the period, or mean per day. */
  per: "period" | "day";
  official: number;
  source: string;
}

export const FLOWS_FILE = "issuance-national-flows.csv";

/** The flows of `dataDir` (none when the file is absent). @throws InputError on a bad row */
export function loadFlows(dataDir: string): FlowSpec[] {
  const path = join(dataDir, FLOWS_FILE);
  if (!existsSync(path)) return [];
  return readCsv(path).map((r, i) => {
    const where = `${path}: row ${i + 2}`;
    const series = r["series"];
    const per = r["per"];
    const official = Number(r["official"]);
    if (series !== "cards_issued_daily" && series !== "applications_daily")
      throw new InputError(`${where}: series: expected cards_issued_daily or applications_daily`, "E_DATA");
    if (per !== "period" && per !== "day")
      throw new InputError(`${where}: per: expected period or day`, "E_DATA");
    if (!(official > 0)) throw new InputError(`${where}: official: expected a positive number`, "E_DATA");
    const from = r["from"] ?? "";
    const to = r["to"] ?? "";
    if (parseIsoDate(to, `${where}: to`) < parseIsoDate(from, `${where}: from`))
      throw new InputError(`${where}: to: must not be before from`, "E_DATA");
    return { name: r["name"] ?? "", series, from, to, per, official, source: r["source"] ?? "" };
  });
}

/** A flow's simulated value, or null when the run does not cover its whole period. */
export function simulatedFlow(run: IssuanceRunResult, f: FlowSpec): number | null {
  const from = parseIsoDate(f.from) - run.startDay;
  const to = parseIsoDate(f.to) - run.startDay;
  if (from < 0 || to >= run.days) return null;
  let sum = 0;
  for (let i = from; i <= to; i++) sum += run.columns[f.series][i]!;
  return f.per === "day" ? sum / (to - from + 1) : sum;
}

/** Each flow the run covers, simulated against official; `fitUntil` decides what is out of sample. */
export function flowChecks(
  run: IssuanceRunResult,
  flows: readonly FlowSpec[],
  fitUntil: string,
): FlowCheck[] {
  const cut = parseIsoDate(fitUntil);
  const out: FlowCheck[] = [];
  for (const f of flows) {
    const simulated = simulatedFlow(run, f);
    if (simulated === null) continue;
    out.push({
      name: f.name,
      official: f.official,
      simulated: Math.round(simulated),
      relativeError: (simulated - f.official) / f.official,
      outOfSample: parseIsoDate(f.to) > cut,
      unit: f.per === "day" ? "per day" : "total",
      source: f.source,
    });
  }
  return out;
}
