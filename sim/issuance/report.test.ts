import { describe, expect, it } from "vitest";
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { expectValidSvg } from "../../engine/charts/_test-helpers.js";
import { select } from "../../engine/charts/_wellformed.js";
import { TIMESERIES_COLUMNS, type TimeseriesColumn } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { reportHtml, reportMarkdown, type ReportInput } from "./report/index.js";
import type { OfficialPoint, RunSummary } from "./summary.js";

const START = "2019-03-01";
const DAYS = 400; // to 2020-04-03, so the target date 2020-03-31 is inside the run
const START_DAY = parseIsoDate(START);
const TARGET = { cards: 87_000_000, date: "2020-03-31" };

function params(description = "A small synthetic scenario for the report tests."): IssuanceParams {
  return {
    name: "synthetic",
    description,
    start: START,
    end: formatIsoDate(START_DAY + DAYS - 1),
    target: { ...TARGET },
    demand: {
      baseAnnualPropensity: [{ from: START, value: 0.023 }],
      ageProfile: true,
      initialBacklog: {
        applications: 1_000_000,
        from: "2019-01-01",
        to: "2019-02-28",
        source: "FACTS §4.4 (test)",
      },
      channels: [
        { name: "online", share: 0.6, delayDays: 1 },
        { name: "paper", share: 0.4, delayDays: 5 },
      ],
      shocks: [
        {
          name: "Mynapoint test campaign",
          start: "2019-09-01",
          end: "2020-02-29",
          multiplier: 4.5,
          rush: { deadline: "2020-02-29", peakMultiplier: 9, tauDays: 5 },
          source: "FACTS §4.3 (test shock source)",
        },
      ],
    },
    intake: { capacityPerDay: [{ from: START, value: 150_000 }] },
    factory: {
      capacityPerDay: [
        { from: START, value: 110_000 },
        { from: "2019-10-01", value: 125_000 },
      ],
    },
    shipping: { days: 4 },
    notification: { days: 7 },
    pickup: {
      delayDays: [
        { days: 3, share: 0.5 },
        { days: 30, share: 0.5 },
      ],
    },
    counters: {
      staffPerHundredThousand: [{ from: START, value: 3.24 }],
      minutesPerHandover: 20,
      weekendFactor: 0.15,
      minimumStaff: 0.4,
    },
    jlis: {
      designLoadPerDay: [{ from: START, value: 150_000 }],
      transactionSeconds: 10,
      terminalsPerMunicipality: [{ from: START, value: 42 }],
      slowdowns: [],
      businessHours: { open: "08:30", close: "17:15" },
      outages: [{ start: "2019-06-10T10:00", end: "2019-06-10T10:40", source: "FACTS §4.4 (test outage)" }],
    },
    renewal: {
      certificateYears: 5,
      certificateRenewalShare: 0.8,
      minorCardYears: 5,
      minorCardRenewalShare: 0.9,
    },
  };
}

/** Cumulative cards growing linearly to `finalCards` on the last day. */
function columns(finalCards: number): Record<TimeseriesColumn, Float64Array> {
  const out = Object.fromEntries(TIMESERIES_COLUMNS.map((c) => [c, new Float64Array(DAYS)])) as Record<
    TimeseriesColumn,
    Float64Array
  >;
  for (let i = 0; i < DAYS; i++) {
    const cum = (finalCards * (i + 1)) / DAYS;
    out.cards_issued_cumulative[i] = cum;
    out.cards_issued_daily[i] = finalCards / DAYS;
    out.applications_cumulative[i] = cum * 1.05;
    out.applications_daily[i] = (finalCards * 1.05) / DAYS;
    out.backlog_factory[i] = 100_000 + 1_000 * (i % 30);
    out.backlog_awaiting_visit[i] = 200_000;
    out.backlog_counter_queue[i] = 50_000;
    out.intake_utilisation[i] = 0.4;
    out.factory_utilisation[i] = 0.9;
    out.counter_utilisation[i] = 0.6;
    out.jlis_availability[i] = i === 101 ? 0.92 : 1;
    // Sundays: no hand-overs, so no lead-time percentiles (NaN, as the model writes them)
    const sunday = (START_DAY + i + 4) % 7 === 0;
    out.lead_time_p50_days[i] = sunday ? Number.NaN : 30;
    out.lead_time_p90_days[i] = sunday ? Number.NaN : 60;
    out.lead_time_p99_days[i] = sunday ? Number.NaN : 120;
  }
  return out;
}

const PREFECTURES = Array.from({ length: 47 }, (_, k) => `Pref-${String(k + 1).padStart(2, "0")}`);

function summary(reached: boolean, withFidelity: boolean, errorPercent = 2.5): RunSummary {
  const finalCards = reached ? 100_000_000 : 20_500_000;
  const onTarget = reached ? 98_000_000 : 20_300_000;
  return {
    formatVersion: 1,
    scenario: "synthetic",
    seed: 42,
    replications: 1,
    period: { start: START, end: formatIsoDate(START_DAY + DAYS - 1) },
    target: {
      ...TARGET,
      reached,
      reachedShare: reached ? 1 : 0,
      reachedOn: reached ? "2020-01-15" : null,
      reachedOnRange: reached ? { earliest: "2020-01-15", latest: "2020-01-15" } : null,
      cardsOnTargetDate: { mean: onTarget, lower: onTarget, upper: onTarget },
      shortfallOnTargetDate: Math.max(0, TARGET.cards - onTarget),
    },
    bindingConstraint: {
      stage: "factory",
      method: "marginal effect of +10 % capacity, paired runs with common random numbers",
      comparedOn: TARGET.date,
      thresholdPercent: 0.5,
      effects: (["intake", "factory", "jlis", "counters", "demand"] as const).map((lever) => {
        const delta = lever === "factory" ? 2_500_000 : lever === "demand" ? 400_000 : 0;
        return {
          lever,
          multiplier: 1.1,
          cardsOnTargetDateDelta: { mean: delta, lower: delta, upper: delta },
          cardsOnTargetDateDeltaPercent: Number(((delta / onTarget) * 100).toFixed(3)),
          reachedOn: reached ? (lever === "factory" ? "2019-12-20" : "2020-01-15") : null,
          reachDateDeltaDays: reached
            ? lever === "factory"
              ? { mean: -26, lower: -26, upper: -26 }
              : { mean: 0, lower: 0, upper: 0 }
            : null,
          reachNote: reached ? null : "the target is not reached by 2020-12-31 with or without it",
        };
      }),
      byPeriod: [
        {
          until: "2019-12-31",
          stage: "counters",
          effects: [{ lever: "counters", cardsDelta: 1_000_000, cardsDeltaPercent: 1.25 }],
        },
        {
          until: formatIsoDate(START_DAY + DAYS - 1),
          stage: "factory",
          effects: [{ lever: "counters", cardsDelta: 0, cardsDeltaPercent: 0 }],
        },
      ],
      explanation:
        "+10 % factory capacity gives +2.50 M cards on 2020-03-31 (+2.55 %), the most of any stage.",
    },
    saturatedDaysToTarget: { intake: 0, factory: 300, jlis: 2, counters: 40.5 },
    totals: { applications: finalCards * 1.05, cardsIssued: finalCards, certificateRenewals: 1234 },
    peakBacklogs: {
      in_post: { cards: 0, date: START },
      jlis_intake: { cards: 0, date: START },
      factory: { cards: 129_000, date: "2019-03-30" },
      shipping: { cards: 0, date: START },
      awaiting_visit: { cards: 200_000, date: START },
      counter_queue: { cards: 50_000, date: START },
      renewals: { cards: 0, date: START },
    },
    peakDailyApplications: { count: 262_500, date: START },
    peakDailyIssuance: { count: 250_000, date: START },
    leadTimeDays: {
      all: { p50: 30, p90: 60, p99: 120, mean: 41.5 },
      toTargetDate: { p50: 30, p90: 60, p99: 119, mean: 41.2 },
    },
    outageMinutesInBusinessHours: 40,
    fidelity: withFidelity
      ? {
          national: [
            { date: "2019-06-01", official: 10_000_000, simulated: 10_250_000, errorPercent: 2.5 },
            {
              date: "2019-12-01",
              official: 20_000_000,
              simulated: 20_000_000 * (1 + errorPercent / 100),
              errorPercent,
            },
          ],
          maxAbsErrorPercent: Math.max(2.5, Math.abs(errorPercent)),
          prefectures: {
            date: "2019-12-01",
            maxAbsShareErrorPoints: 0.4,
            maxAbsCoverageErrorPoints: 6.2,
            rows: PREFECTURES.map((prefecture, k) => ({
              prefecture,
              officialShare: 2.128 + (k === 0 ? 0.4 : 0),
              simulatedShare: 2.128,
              officialCoverage: 15 + (k % 7),
              simulatedCoverage: 16,
            })),
          },
        }
      : { national: [], maxAbsErrorPercent: null, prefectures: null },
    engine: { eventsProcessed: 123_456, cohortOperations: 7_890 },
  };
}

const OFFICIAL: OfficialPoint[] = [
  { date: "2019-06-01", cardsIssuedCumulative: 10_000_000 },
  { date: "2019-12-01", cardsIssuedCumulative: 20_000_000 },
  { date: "2020-03-01", cardsIssuedCumulative: 24_000_000 },
];

function input(opts: {
  reached?: boolean;
  official?: boolean;
  description?: string;
  errorPercent?: number;
  ci?: boolean;
}): ReportInput {
  const reached = opts.reached ?? false;
  const cols = columns(reached ? 100_000_000 : 20_500_000);
  const ci = opts.ci
    ? {
        lower: cols.cards_issued_cumulative.map((v) => v * 0.98),
        upper: cols.cards_issued_cumulative.map((v) => v * 1.02),
      }
    : null;
  return {
    params: params(opts.description),
    summary: summary(reached, opts.official ?? false, opts.errorPercent),
    startDay: START_DAY,
    columns: cols,
    ci95: ci,
    official: opts.official ? OFFICIAL : [],
    run: {
      command: "myna-twin run scenarios/synthetic.yaml --seed 42 --replications 1 --threads 2",
      seed: 42,
      replications: 1,
      threads: 2,
      runId: "20240101-synthetic-42",
      versions: { node: "v20.0.0", "myna-twin": "0.1.0" },
      dataSources: [{ file: "data/issuance-national.csv", source: "MIC via Code for Japan (test)" }],
    },
  };
}

type Opts = Parameters<typeof input>[0];
const cache = new Map<string, string>();

/** Markdown or HTML of one input variant, rendered once per test file (charts are the slow part). */
function render(format: "md" | "html", opts: Opts): string {
  const o = { reached: false, official: false, ci: false, errorPercent: 2.5, ...opts };
  const key = JSON.stringify([format, o.reached, o.official, o.ci, o.errorPercent, o.description ?? null]);
  let out = cache.get(key);
  if (out === undefined) {
    out = format === "md" ? reportMarkdown(input(o)) : reportHtml(input(o));
    cache.set(key, out);
  }
  return out;
}
const mdOf = (opts: Opts): string => render("md", opts);
const htmlOf = (opts: Opts): string => render("html", opts);

/** The `<svg>…</svg>` documents of a page, in order. */
function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe("headline", () => {
  it("says the target was reached, when, and before the target date", () => {
    const i = { reached: true };
    const sentence = "87,000,000 cards were reached on 2020-01-15, before the target date 2020-03-31.";
    expect(mdOf(i)).toContain(sentence);
    expect(htmlOf(i)).toContain(sentence);
    expect(mdOf(i)).not.toContain("Not reached");
  });

  it("says the target was not reached, with cards on the date, shortfall and that the run never got there", () => {
    const i = { reached: false };
    for (const text of [mdOf(i), htmlOf(i)]) {
      expect(text).toContain("Not reached by 2020-03-31: 20.3 M cards");
      expect(text).toContain("shortfall 66.7 M");
      expect(text).toContain("not reached within the run");
      expect(text).not.toContain("were reached on");
    }
  });

  it("names the binding constraint with its explanation and the lead-time percentiles", () => {
    const md = mdOf({});
    expect(md).toContain("Binding constraint (by marginal effect): **card factory");
    expect(md).toContain("+2.50 M cards on 2020-03-31 (+2.55 %), the most of any stage");
    expect(md).toContain("p50 30 days, p90 60 days, p99 120 days");
  });

  it("labels saturated days as descriptive, not as the binding constraint", () => {
    const md = mdOf({});
    expect(md).toMatch(
      /Days each stage worked at capacity with work left over, up to 2020-03-31 \(descriptive: where queues formed, not what binds/,
    );
    expect(md).toMatch(/\| card factory \(manufacture and personalisation\) \| 300 \|/);
  });
});

describe("what +10 % of each would buy", () => {
  it("tables every lever's change in cards on the target date and in the reach date, with the method", () => {
    for (const text of [mdOf({ reached: true }), htmlOf({ reached: true })]) {
      expect(text).toContain("What +10 % of each would buy");
      expect(text).toContain(
        "Method: marginal effect of +10 % capacity, paired runs with common random numbers.",
      );
      expect(text).toContain("compared on 2020-03-31");
    }
    const md = mdOf({ reached: true });
    expect(md).toContain(
      "| +10 % card factory (manufacture and personalisation) | +2,500,000 cards | +2.55 % | 26 days earlier |",
    );
    expect(md).toContain("| +10 % municipal counters | 0 cards | 0.00 % | unchanged |");
    expect(md).toContain("| +10 % demand (residents' applications) | +400,000 cards | +0.41 % | unchanged |");
    expect(md.indexOf("What +10 % of each would buy")).toBeLessThan(md.indexOf("Cumulative cards issued"));
  });

  it("notes a missing reach-date change and gives the binding stage by date", () => {
    const md = mdOf({ reached: false });
    expect(md).toContain("| +10 % J-LIS application intake | 0 cards | 0.00 % | – |");
    expect(md).toContain(
      "- +10 % card factory (manufacture and personalisation): the target is not reached by 2020-12-31 with or without it.",
    );
    expect(md).toContain("| by | binding | +10 % counters |");
    expect(md).toContain("| 2019-12-31 | municipal counters | +1,000,000 (+1.25 %) |");
    expect(md).toContain("| 2020-04-03 | card factory (manufacture and personalisation) | 0 (0.00 %) |");
  });
});

describe("report.html", () => {
  it("draws one SVG per chart in the required order, the cumulative chart first with target line and date", () => {
    const html = htmlOf({ official: true });
    const docs = svgs(html);
    expect(docs.map((s) => /id="([^"]+)"/.exec(s)?.[1])).toEqual([
      "chart-cumulative",
      "chart-lead-time",
      "chart-backlog",
      "chart-utilisation",
      "chart-prefectures",
    ]);
    expect(html.split("<svg").length - 1).toBe(5);
    for (const d of docs) expectValidSvg(d);
    const first = docs[0]!;
    expect(first).toContain("87,000,000");
    expect(first).toContain("target date 2020-03-31");
    // the headline comes before the first chart, the lead-time chart right after it
    expect(html.indexOf("Not reached by 2020-03-31")).toBeLessThan(html.indexOf("<svg"));
    expect(html.indexOf('id="chart-lead-time"')).toBeLessThan(html.indexOf('id="pipeline"'));
  });

  it("lines up the time charts on one date axis", () => {
    const docs = svgs(htmlOf({}));
    expect(docs).toHaveLength(4); // no fidelity section, so no prefecture chart
    const ticks = docs.slice(0, 4).map((d) => {
      const root = expectValidSvg(d);
      const axis = select(root, "g").find((g) => g.attrs.class === "mt-axis mt-axis-x")!;
      // x position and label of every tick, and the ends of the axis line
      return JSON.stringify(axis.children.map((c) => [c.name, c.attrs.x ?? c.attrs.x1, c.attrs.x2, c.text]));
    });
    expect(JSON.parse(ticks[0]!).length).toBeGreaterThan(3);
    expect(new Set(ticks).size).toBe(1);
  });

  it("overlays the official series as points only when it is given", () => {
    const withOfficial = svgs(htmlOf({ official: true }))[0]!;
    const root = expectValidSvg(withOfficial);
    const points = select(root, "g", "mt-points");
    expect(points).toHaveLength(1);
    expect(select(points[0]!, "circle")).toHaveLength(OFFICIAL.length);
    expect(withOfficial).toContain("cards issued (official)");

    const without = svgs(htmlOf({ official: false }))[0]!;
    expect(without).not.toContain("mt-points");
    expect(without).not.toContain("(official)");
  });

  it("draws the confidence band only when one is given", () => {
    expect(svgs(htmlOf({ ci: true }))[0]).toContain("mt-band");
    expect(svgs(htmlOf({ ci: false }))[0]).not.toContain("mt-band");
  });

  it("escapes scenario text", () => {
    const description = `Evil <script>alert("x")</script> & <b>bold</b>`;
    const html = htmlOf({ description });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<b>");
    expect(html).toContain(
      "Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;",
    );
    const md = mdOf({ description });
    expect(md).not.toContain("<script>");
    expect(md).toContain("\\<script\\>");
  });

  it("is self-contained: inline CSS, no scripts, links or external resources", () => {
    const html = htmlOf({ official: true });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain(".mt-chart"); // CHART_CSS
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)|\ssrc=|\shref=/i);
    expect(html.match(/https?:\/\/[^"]*/g)?.every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
    expect(html).toContain("<table>");
  });
});

describe("both formats", () => {
  const cases: Record<string, Opts> = {
    reached: { reached: true, official: true, ci: true },
    "not reached": { reached: false },
  };

  it.each(Object.entries(cases))("contain no NaN, undefined or Infinity (%s)", (_, i) => {
    for (const text of [mdOf(i), htmlOf(i)]) {
      expect(text).not.toMatch(/NaN|undefined|Infinity|\[object /);
    }
  });

  it("are deterministic", () => {
    const i = input({ reached: true, official: true, ci: true });
    expect(reportHtml(i)).toBe(htmlOf({ reached: true, official: true, ci: true }));
    expect(reportMarkdown(i)).toBe(reportMarkdown(i));
  });

  it("keep the sections in the required order", () => {
    const md = mdOf({ official: true });
    const html = htmlOf({ official: true });
    const order = [
      "Card issuance: synthetic",
      "Not reached by",
      "Cumulative cards issued",
      "Lead time over time",
      "Pipeline: backlogs and utilisation",
      "Fidelity against the official series",
      "Assumptions and sources",
      "Reproduce",
    ];
    for (const text of [md, html]) {
      const at = order.map((s) => text.indexOf(s));
      expect(at.every((x) => x >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
  });

  it("render the assumptions with dates and sources, and how to reproduce the run", () => {
    const md = mdOf({});
    expect(md).toContain("| 2019-03-01 | 2019-09-30 | 110,000 |"); // factory schedule with its end date
    expect(md).toContain("| 2019-10-01 | end of run | 125,000 |");
    expect(md).toContain(
      "Mynapoint test campaign | 2019-09-01 – 2020-02-29 | ×4.5 | rises to ×9 on the deadline 2020-02-29",
    );
    expect(md).toContain("FACTS §4.3 (test shock source)");
    expect(md).toContain("| 2019-06-10 10:00 | 2019-06-10 10:40 | 40 | FACTS §4.4 (test outage) |");
    expect(md).toContain("MIC via Code for Japan (test)");
    expect(md).toContain("myna-twin run scenarios/synthetic.yaml --seed 42 --replications 1 --threads 2");
    expect(md).toContain("byte-identical");
    expect(md).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/); // no wall-clock timestamps
  });
});

describe("report.md", () => {
  it("points to report.html for charts and gives the cumulative series at quarter ends", () => {
    const md = mdOf({ reached: true });
    expect(md).toContain("`report.html`");
    expect(md).not.toContain("<svg");
    expect(md).toMatch(/\| 2019-12-31 \| [\d,]+ \| [\d,]+ \|/);
    expect(md).toMatch(/\| 2020-03-31 \| 104,212,500 \| 99,250,000 \| 30 \/ 60 \/ 120 \|/);
  });

  it("has the fidelity tables, labelled in-sample and ungraded, when official data is given, and none otherwise", () => {
    const md = mdOf({ official: true });
    expect(md).toContain("| date | official | simulated | error % |");
    expect(md).toContain("| 2019-06-01 | 10,000,000 | 10,250,000 | +2.50 |");
    expect(md).toContain("**In-sample error, not a validation.**");
    expect(md).toContain("**Prefecture share (in-sample):**");
    expect(md).not.toMatch(/PASS|FAIL/);
    expect(md).toContain("max abs error 6.20 points");
    const prefRows = md.split("\n").filter((l) => l.startsWith("| Pref-"));
    expect(prefRows).toHaveLength(47);

    expect(mdOf({ official: true, errorPercent: -12 })).toMatch(/1 date outside ±10 %/);
    const none = mdOf({ official: false });
    expect(none).not.toContain("Fidelity against the official series");
    expect(none).not.toContain("| date | official |");
  });
});

describe("long runs", () => {
  it("draws the pipeline and lead-time charts as weekly means", () => {
    const n = 1000;
    const i = input({});
    const cols = Object.fromEntries(
      TIMESERIES_COLUMNS.map((c) => [c, Float64Array.from({ length: n }, (_, k) => i.columns[c][k % DAYS]!)]),
    ) as Record<TimeseriesColumn, Float64Array>;
    const html = reportHtml({ ...i, columns: cols });
    const docs = svgs(html);
    expect(docs[1]).toContain("weekly mean");
    expect(docs[2]).toContain("weekly means");
    for (const d of docs) expectValidSvg(d);
    expect(html).not.toMatch(/NaN|undefined/);
  });
});

describe("capacity search bounded by the p90 lead time (issue 9)", () => {
  it("says the bound and which bound binds; unbounded runs say neither", () => {
    const i = input({});
    const rc = {
      multiplier: 1.25,
      factoryPerDayOnTargetDate: 137_500,
      countersPerTenThousandOnTargetDate: 10.63,
      boundBy: "leadTime" as const,
      leadTimeP90Days: 58,
      maxLeadTimeP90Days: 60,
    };
    const md = reportMarkdown({
      ...i,
      params: { ...i.params, target: { ...i.params.target, solveCapacity: true, maxLeadTimeP90Days: 60 } },
      summary: { ...i.summary, requiredCapacity: rc },
    });
    expect(md).toContain("with a p90 lead time of at most 60 days (58 days at this multiplier)");
    expect(md).toContain("The lead-time bound is what binds");
    const plain = reportMarkdown({
      ...i,
      summary: { ...i.summary, requiredCapacity: { ...rc, boundBy: "cards", maxLeadTimeP90Days: null } },
    });
    expect(plain).not.toContain("p90 lead time of at most");
    expect(plain).not.toContain("binds:");
    const none = reportMarkdown({
      ...i,
      params: { ...i.params, target: { ...i.params.target, solveCapacity: true, maxLeadTimeP90Days: 60 } },
      summary: { ...i.summary, requiredCapacity: null },
    });
    expect(none).toContain("no capacity multiplier up to ×64 reaches the target by");
    expect(none).toContain("with a p90 lead time of at most 60 days");
  });
});
