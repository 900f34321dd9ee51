/**
 * The JSON schemas of the run-output format: a valid file parses to its type; a wrong field is one
 * message naming the file, the field path, what was expected and what was found — also under
 * random mutation (fixed seed); dates are real calendar dates; sweep.json keeps its target.
 * @module
 */
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import {
  isCalendarDate,
  parseJsonFile,
  parseWith,
  RUN_DATA_ERROR,
  RunFormatError,
  zodMessage,
} from "./common.js";
import { RunManifestSchema } from "./manifest.js";
import { RunSummarySchema, type RunSummary } from "./summary.js";
import { SweepDocumentSchema, type SweepDocument } from "./sweep.js";

const summary = (): RunSummary => ({
  formatVersion: 1,
  scenario: "jlis-outage-2016",
  seed: 1,
  replications: 2,
  period: { start: "2016-01-01", end: "2016-12-31" },
  target: {
    cards: 10_000_000,
    date: "2016-12-31",
    reached: true,
    reachedShare: 1,
    reachedOn: "2016-11-20",
    reachedOnRange: { earliest: "2016-11-18", latest: "2016-11-22" },
    cardsOnTargetDate: { mean: 11_000_000, lower: 10_900_000, upper: 11_100_000 },
    shortfallOnTargetDate: 0,
  },
  bindingConstraint: {
    stage: "counters",
    method: "marginal effect of +10 % capacity, paired runs with common random numbers",
    comparedOn: "2016-12-31",
    thresholdPercent: 0.5,
    effects: [
      {
        lever: "counters",
        multiplier: 1.1,
        cardsOnTargetDateDelta: { mean: 800_000, lower: 790_000, upper: 810_000 },
        cardsOnTargetDateDeltaPercent: 7.27,
        reachedOn: "2016-11-01",
        reachDateDeltaDays: { mean: -19, lower: -20, upper: -18 },
        reachNote: null,
      },
    ],
    byPeriod: [
      {
        until: "2016-12-31",
        stage: "counters",
        effects: [{ lever: "counters", cardsDelta: 800_000, cardsDeltaPercent: 7.27 }],
      },
    ],
    explanation:
      "+10 % counters capacity gives +0.80 M cards on 2016-12-31 (+7.27 %), the most of any stage.",
  },
  saturatedDaysToTarget: { intake: 1, factory: 2, jlis: 0, counters: 120.5 },
  totals: { applications: 12_000_000, cardsIssued: 11_500_000, certificateRenewals: 0 },
  peakBacklogs: { factory: { cards: 2_390_000, date: "2016-02-26" } },
  peakDailyApplications: { count: 29_715, date: "2016-01-01" },
  peakDailyIssuance: { count: 106_443, date: "2016-06-01" },
  leadTimeDays: { all: { p50: 144, p90: 218, p99: 331, mean: 136.7 }, toTargetDate: null },
  outageMinutesInBusinessHours: 475,
  fidelity: {
    national: [{ date: "2016-03-08", official: 10_717_919, simulated: 11_486_467, errorPercent: 7.17 }],
    maxAbsErrorPercent: 7.17,
    prefectures: null,
  },
  engine: { eventsProcessed: 517, cohortOperations: 10_416 },
  requiredCapacity: {
    multiplier: 0.71,
    factoryPerDayOnTargetDate: 78_000,
    countersPerTenThousandOnTargetDate: 6,
  },
});

const sweep = (): SweepDocument => ({
  formatVersion: 1,
  scenario: "jlis-outage-2016",
  target: { cards: 10_000_000, date: "2016-12-31" },
  seed: 1,
  replications: 1,
  vary: [{ key: "factory.capacityPerDay[0].value", values: ["80000", "140000"] }],
  rows: ["80000", "140000"].map((v) => ({
    point: { "factory.capacityPerDay[0].value": v },
    reachedByTargetDate: v === "140000",
    reachedOn: v === "140000" ? "2016-10-01" : null,
    cardsOnTargetDate: 9_000_000,
    bindingConstraint: "factory" as const,
    leadTimeP50: 143,
    leadTimeP90: null,
    leadTimeP99: 265,
    maxAbsErrorPercent: null,
  })),
});

/** A parsed JSON document, patched freely by the tests (deliberately untyped: it may become invalid). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

/** The message of what `f` throws, checking it is a RunFormatError. */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RunFormatError);
    expect(e).toMatchObject({ code: RUN_DATA_ERROR });
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

describe("isCalendarDate", () => {
  it("takes real days only", () => {
    for (const d of ["2016-02-29", "2000-02-29", "2019-12-31", "0001-01-01"])
      expect(isCalendarDate(d)).toBe(true);
    for (const d of [
      "2019-13-45",
      "2019-02-29",
      "1900-02-29",
      "2019-04-31",
      "2019-00-10",
      "2019-1-1",
      "20190101",
      " 2019-01-01",
    ])
      expect(isCalendarDate(d)).toBe(false);
  });
});

describe("summary.json", () => {
  it("parses a valid summary as it is", () => {
    const s = summary();
    expect(parseWith(RunSummarySchema, s, "summary.json")).toEqual(s);
    // lead times of a run without hand-overs are written as null (JSON has no NaN)
    const none = JSON.parse(
      JSON.stringify({
        ...s,
        leadTimeDays: { all: { p50: NaN, p90: NaN, p99: NaN, mean: NaN }, toTargetDate: null },
      }),
    );
    expect(parseWith(RunSummarySchema, none, "summary.json").leadTimeDays.all.p50).toBeNull();
  });

  it.each<[string, (s: Doc) => void, string]>([
    [
      "an impossible reachedOn",
      (s) => (s.target.reachedOn = "2019-13-45"),
      "summary.json: target.reachedOn: expected a date YYYY-MM-DD, got '2019-13-45'",
    ],
    [
      "a missing version",
      (s) => delete s.formatVersion,
      "summary.json: formatVersion: expected format version 1 (a run written by another myna-twin version: rerun it), got nothing",
    ],
    [
      "another version",
      (s) => (s.formatVersion = 2),
      "summary.json: formatVersion: expected format version 1",
    ],
    [
      "reached without a date",
      (s) => (s.target.reachedOn = null),
      "summary.json: target.reachedOn: expected the date the target was reached (target.reached is true), got null",
    ],
    [
      "reached after the target date",
      (s) => (s.target.reachedOn = "2017-01-05"),
      "target.reachedOn: expected a date on or before the target date 2016-12-31",
    ],
    [
      "an unknown stage",
      (s) => (s.bindingConstraint.stage = "banana"),
      "summary.json: bindingConstraint.stage: expected 'intake' or 'factory' or 'jlis' or 'counters' or 'demand', got 'banana'",
    ],
    [
      "a binding constraint without its marginal effects (the old saturated-days form)",
      (s) =>
        (s.bindingConstraint = {
          stage: "counters",
          saturatedDaysToTarget: s.saturatedDaysToTarget,
          explanation: "The counters stage worked at capacity …",
        }),
      "summary.json: bindingConstraint.method:",
    ],
    [
      "a string for a number",
      (s) => (s.fidelity.national[0].official = "10"),
      "summary.json: fidelity.national[0].official: expected a finite number, got '10'",
    ],
    ["a missing object", (s) => delete s.totals, "summary.json: totals: expected an object, got nothing"],
    ["an unknown field", (s) => (s.target.extra = 1), "summary.json: target: unknown field extra"],
    ["a share above one", (s) => (s.target.reachedShare = 1.5), "summary.json: target.reachedShare:"],
  ])("names the field of %s", (_, patch, message) => {
    const s = summary() as unknown as Doc;
    patch(s);
    expect(messageOf(() => parseWith(RunSummarySchema, s, "summary.json"))).toContain(message);
  });

  it("names the file of text that is not JSON", () => {
    expect(messageOf(() => parseJsonFile(RunSummarySchema, "", "summary.json"))).toBe(
      "summary.json is empty",
    );
    expect(messageOf(() => parseJsonFile(RunSummarySchema, '{"a":', "summary.json"))).toMatch(
      /^summary\.json is not valid JSON \(/,
    );
    expect(messageOf(() => parseWith(RunSummarySchema, [1], "summary.json"))).toBe(
      "summary.json: the document: expected an object, got [1]",
    );
  });

  it("under 2,000 random mutations either parses to valid dates or names one field (seed 11)", () => {
    const rnd = mulberry32(11);
    const values: unknown[] = [
      null,
      undefined,
      "2019-13-45",
      "2020-02-29",
      "x",
      -1,
      0,
      1e30,
      true,
      [],
      {},
      "2016-12-31",
    ];
    let refused = 0;
    for (let k = 0; k < 2000; k++) {
      const s = summary() as unknown as Record<string, unknown>;
      // walk to a random leaf or branch and replace it
      let node: Record<string, unknown> = s;
      let key = "";
      for (let depth = 0; depth < 4; depth++) {
        const keys = Object.keys(node);
        key = keys[randomInt(rnd, keys.length)]!;
        const next = node[key];
        if (next === null || typeof next !== "object" || randomInt(rnd, 3) === 0) break;
        node = next as Record<string, unknown>;
      }
      const v = values[randomInt(rnd, values.length)];
      if (v === undefined) delete node[key];
      else node[key] = v;
      const r = RunSummarySchema.safeParse(s);
      if (r.success) {
        const t = r.data.target;
        for (const d of [t.date, t.reachedOn, r.data.period.start, r.data.period.end])
          if (d !== null) expect(isCalendarDate(d)).toBe(true);
        if (t.reached) expect(t.reachedOn! <= t.date).toBe(true);
      } else {
        refused++;
        expect(zodMessage("summary.json", r.error, s)).toMatch(/^summary\.json: [\w.[\]]+: \S/);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});

describe("sweep.json", () => {
  it("keeps the scenario's target (a reader never falls back to a default)", () => {
    expect(parseWith(SweepDocumentSchema, sweep(), "sweep.json").target).toEqual({
      cards: 10_000_000,
      date: "2016-12-31",
    });
    const { target: _, ...without } = sweep();
    expect(messageOf(() => parseWith(SweepDocumentSchema, without, "sweep.json"))).toBe(
      "sweep.json: target: expected an object, got nothing",
    );
  });

  it("names a row without a varied key, and refuses an impossible date", () => {
    const s = sweep();
    s.rows[1]!.point = {};
    expect(messageOf(() => parseWith(SweepDocumentSchema, s, "sweep.json"))).toBe(
      "sweep.json: rows[1].point.factory.capacityPerDay[0].value: expected a value of the varied key factory.capacityPerDay[0].value, got nothing",
    );
    const d = sweep();
    d.rows[0]!.reachedOn = "2016-02-30";
    expect(messageOf(() => parseWith(SweepDocumentSchema, d, "sweep.json"))).toContain(
      "sweep.json: rows[0].reachedOn: expected a date YYYY-MM-DD, got '2016-02-30'",
    );
  });
});

describe("manifest.json", () => {
  const manifest = {
    formatVersion: 1,
    tool: "myna-twin",
    runId: "20261124-114020-s1",
    command: "myna-twin run scenarios/history.yaml",
    seed: 1,
    replications: 2,
    threads: 2,
    wallSeconds: 3.2,
    gitCommit: null,
    versions: { node: "v20.19.0" },
    machine: { cpuModel: "x" },
    scenario: { name: "history", start: "2016-01-01" },
  };

  it("reads a run manifest as kind run and keeps the fields it does not type", () => {
    const m = parseWith(RunManifestSchema, manifest, "manifest.json");
    expect(m.kind).toBe("run");
    expect(m.scenario).toEqual({ name: "history", start: "2016-01-01" });
  });

  it("names a mistyped field", () => {
    expect(messageOf(() => parseWith(RunManifestSchema, { ...manifest, seed: "1" }, "manifest.json"))).toBe(
      "manifest.json: seed: expected a finite number, got '1'",
    );
  });
});
