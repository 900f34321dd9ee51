/**
 * The flows of FACTS §4.1 a calibrated history is checked on (issue 9 targets, ±20 %): cards issued
 * in March 2016, calendar 2020, FY2020 and the peak months Oct 2022 → Mar 2023; applications in May
 * and June 2020 and per day in Aug–Nov 2025 and the last week of the insurance-card transition;
 * cards issued per day that week. The cumulative curve hides errors in these.
 * @module
 */
import { parseIsoDate } from "../../../engine/calendar.js";
import type { FlowCheck } from "../../run-format/calibration.js";
import type { IssuanceRunResult } from "../model.js";

interface FlowSpec {
  name: string;
  column: "cards_issued_daily" | "applications_daily";
  from: string;
  to: string;
  official: number;
  /** Total over the period, or mean per day. */
  per: "period" | "day";
  source: string;
}

const S41 = "FACTS §4.1";
export const FLOWS: readonly FlowSpec[] = [
  {
    name: "cards issued, March 2016",
    column: "cards_issued_daily",
    from: "2016-03-01",
    to: "2016-03-31",
    official: 1_460_000,
    per: "period",
    source: `${S41} (≈1.46 M; https://jp24h.com/post/100448.html)`,
  },
  {
    name: "applications, May 2020",
    column: "applications_daily",
    from: "2020-05-01",
    to: "2020-05-31",
    official: 1_590_000,
    per: "period",
    source: `${S41} (1.59 M)`,
  },
  {
    name: "applications, June 2020",
    column: "applications_daily",
    from: "2020-06-01",
    to: "2020-06-30",
    official: 990_000,
    per: "period",
    source: `${S41} (0.99 M)`,
  },
  {
    name: "cards issued, calendar 2020",
    column: "cards_issued_daily",
    from: "2020-01-01",
    to: "2020-12-31",
    official: 11_847_315,
    per: "period",
    source: `${S41} (https://dalamlima.blogspot.com/2021/01/blog-post_28.html)`,
  },
  {
    name: "cards issued, FY2020",
    column: "cards_issued_daily",
    from: "2020-04-01",
    to: "2021-03-31",
    official: 15_580_000,
    per: "period",
    source: `${S41} (≈15.58 M)`,
  },
  {
    name: "cards issued, Oct 2022",
    column: "cards_issued_daily",
    from: "2022-10-01",
    to: "2022-10-31",
    official: 2_700_000,
    per: "period",
    source: `${S41} (derived from the MIC series)`,
  },
  {
    name: "cards issued, Nov 2022",
    column: "cards_issued_daily",
    from: "2022-11-01",
    to: "2022-11-30",
    official: 3_500_000,
    per: "period",
    source: `${S41} (derived from the MIC series)`,
  },
  {
    name: "cards issued, Dec 2022",
    column: "cards_issued_daily",
    from: "2022-12-01",
    to: "2022-12-31",
    official: 4_060_000,
    per: "period",
    source: `${S41} (derived from the MIC series)`,
  },
  {
    name: "cards issued, Jan–Feb 2023",
    column: "cards_issued_daily",
    from: "2023-01-01",
    to: "2023-02-28",
    official: 8_400_000,
    per: "period",
    source: `${S41} (≈4.2 M/month, derived from the MIC series)`,
  },
  {
    name: "cards issued, Mar 2023",
    column: "cards_issued_daily",
    from: "2023-03-01",
    to: "2023-03-31",
    official: 4_250_000,
    per: "period",
    source: `${S41} (derived from the MIC series)`,
  },
  {
    name: "applications per day, Aug–Nov 2025 (official 50–67 k; midpoint)",
    column: "applications_daily",
    from: "2025-08-01",
    to: "2025-11-30",
    official: 58_500,
    per: "day",
    source: `${S41} (https://dempa-digital.com/article/702548)`,
  },
  {
    name: "applications per day, 2025-11-27 → 12-03",
    column: "applications_daily",
    from: "2025-11-27",
    to: "2025-12-03",
    official: 87_553,
    per: "day",
    source: `${S41} (https://pc.watch.impress.co.jp/docs/news/2069103.html)`,
  },
  {
    name: "cards issued per day, 2025-11-27 → 12-03",
    column: "cards_issued_daily",
    from: "2025-11-27",
    to: "2025-12-03",
    official: 71_446,
    per: "day",
    source: `${S41} (https://pc.watch.impress.co.jp/docs/news/2069103.html)`,
  },
];

/** Each flow the run covers, simulated against official; `fitUntil` decides what is out of sample. */
export function flowChecks(run: IssuanceRunResult, fitUntil: string): FlowCheck[] {
  const cut = parseIsoDate(fitUntil);
  const out: FlowCheck[] = [];
  for (const f of FLOWS) {
    const from = parseIsoDate(f.from) - run.startDay;
    const to = parseIsoDate(f.to) - run.startDay;
    if (from < 0 || to >= run.days) continue;
    let sum = 0;
    for (let i = from; i <= to; i++) sum += run.columns[f.column][i]!;
    const simulated = f.per === "day" ? sum / (to - from + 1) : sum;
    out.push({
      name: f.name,
      official: f.official,
      simulated: Math.round(simulated),
      relativeError: (simulated - f.official) / f.official,
      outOfSample: parseIsoDate(f.from) > cut,
      unit: f.per === "day" ? "per day" : "total",
      source: f.source,
    });
  }
  return out;
}
