import { describe, expect, it } from "vitest";
import { TwinError } from "../errors.js";
import { timeSeriesChart } from "./time-series-chart.js";
import type { TimeSeriesData } from "./time-series-chart.js";
import { select, titleOf } from "./_wellformed.js";
import { dailyDates, day, expectValidSvg, monthEnds, px } from "./_test-helpers.js";

const dates = monthEnds(2019, 24);
const fixture: TimeSeriesData = {
  dates,
  series: [
    { name: "simulated", values: dates.map((_, i) => 2e6 + i * 3.5e6) },
    { name: "plan", values: dates.map((_, i) => (i < 3 ? null : i * 4e6)), dash: "6 3" },
    {
      name: "official",
      dates: ["2019-03-31", "2019-09-30", "2020-03-31", "2020-09-30"],
      values: [11e6, 30e6, 48e6, 70e6],
      kind: "points",
      color: "#222222",
    },
  ],
  band: {
    name: "95% CI",
    lower: dates.map((_, i) => 1.8e6 + i * 3.3e6),
    upper: dates.map((_, i) => 2.2e6 + i * 3.7e6),
  },
};
const fixtureOptions = {
  id: "ts",
  title: "Cards issued",
  yLabel: "cards issued (millions)",
  yFormat: "millions",
  hRules: [{ value: 87e6, label: "target 87,000,000" }],
  vRules: [{ date: "2020-03-31", label: "target date" }],
} as const;

describe("timeSeriesChart", () => {
  it("matches the stored snapshot", async () => {
    await expect(timeSeriesChart(fixture, fixtureOptions)).toMatchFileSnapshot(
      "__snapshots__/time-series-chart.svg",
    );
  });

  it("is a valid, accessible SVG with one path per line series and one dot per observation", () => {
    const root = expectValidSvg(timeSeriesChart(fixture, fixtureOptions));
    expect(select(root, "path", "mt-line")).toHaveLength(2);
    expect(select(root, "path", "mt-band")).toHaveLength(1);
    const dots = select(root, "g", "mt-points").flatMap((g) => g.children.filter((c) => c.name === "circle"));
    expect(dots).toHaveLength(4);
    expect(titleOf(dots[2]!)).toBe("official\n2020-03-31: 48,000,000");
    expect(root.attrs["aria-label"]).toBe("Cards issued");
    expect(select(root, "desc")[0]?.text).toContain("simulated (last 82,500,000 on 2020-12-31)");
    expect(select(root, "text", "mt-axis-label")[0]?.text).toBe("↑ cards issued (millions)");
  });

  it("puts reference lines at the exact pixel of the scale", () => {
    const svg = timeSeriesChart(fixture, {
      width: 800,
      height: 400,
      margin: { top: 60, right: 20, bottom: 40, left: 70 },
      yDomain: [0, 100e6],
      xDomain: ["2020-01-01", "2020-12-31"],
      hRules: [{ value: 87e6, label: "target" }],
      vRules: [{ date: "2020-03-31" }],
    });
    const rules = select(expectValidSvg(svg), "line", "mt-rule");
    expect(rules).toHaveLength(2);
    // y: 60 + 300 · (1 − 0.87) = 99
    expect(rules[0]?.attrs.y1).toBe("99");
    expect(rules[0]?.attrs.y2).toBe("99");
    expect(rules[0]?.attrs.x1).toBe("70");
    expect(rules[0]?.attrs.x2).toBe("780");
    // x: 70 + 710 · 90 / 365 days
    const x = 70 + (710 * (day("2020-03-31") - day("2020-01-01"))) / (day("2020-12-31") - day("2020-01-01"));
    expect(rules[1]?.attrs.x1).toBe(px(x));
    expect(px(x)).toBe("245.07");
  });

  it("extends the automatic y range to include the target line", () => {
    const root = expectValidSvg(
      timeSeriesChart(
        { dates: dates.slice(0, 3), series: [{ name: "a", values: [1e6, 2e6, 3e6] }] },
        { hRules: [{ value: 87e6 }], yFormat: "millions" },
      ),
    );
    const labels = select(root, "g", "mt-axis-y")[0]!
      .children.filter((c) => c.name === "text")
      .map((t) => t.text);
    expect(labels).toContain("80");
    expect(Number(labels[labels.length - 1])).toBeGreaterThanOrEqual(87);
  });

  it("escapes text everywhere", () => {
    const evil = '<script>alert("x")</script> & co';
    const svg = timeSeriesChart(
      { dates: dates.slice(0, 2), series: [{ name: evil, values: [1, 2] }] },
      { title: evil, yLabel: evil, hRules: [{ value: 1, label: evil }] },
    );
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    const root = expectValidSvg(svg);
    expect(root.attrs["aria-label"]).toBe(evil);
  });

  it("is deterministic", () => {
    expect(timeSeriesChart(fixture, fixtureOptions)).toBe(timeSeriesChart(fixture, fixtureOptions));
    expect(timeSeriesChart(fixture, { title: "x" })).toBe(timeSeriesChart(fixture, { title: "x" }));
  });

  it("derives distinct default ids from the title", () => {
    const a = expectValidSvg(timeSeriesChart(fixture, { title: "A" }));
    const b = expectValidSvg(timeSeriesChart(fixture, { title: "B" }));
    expect(a.attrs.id).not.toBe(b.attrs.id);
    expect(select(a, "clipPath")[0]?.attrs.id).toBe(`${a.attrs.id}-clip`);
  });

  describe("edge inputs give a valid SVG without NaN", () => {
    it("no dates at all → No data", () => {
      const svg = timeSeriesChart({ dates: [], series: [] }, { title: "Empty" });
      const root = expectValidSvg(svg);
      expect(select(root, "text", "mt-no-data")[0]?.text).toBe("No data");
      expect(select(root, "path")).toHaveLength(0);
    });

    it("only missing values → No data", () => {
      const root = expectValidSvg(
        timeSeriesChart({
          dates: dates.slice(0, 3),
          series: [{ name: "a", values: [null, Number.NaN, undefined] }],
        }),
      );
      expect(select(root, "text", "mt-no-data")).toHaveLength(1);
    });

    it("a single point is drawn as a dot with a tooltip", () => {
      const root = expectValidSvg(
        timeSeriesChart({ dates: ["2020-03-31"], series: [{ name: "a", values: [5] }] }),
      );
      expect(select(root, "circle", "mt-isolated")).toHaveLength(1);
      const hits = select(root, "rect", "mt-hit");
      expect(hits).toHaveLength(1);
      expect(titleOf(hits[0]!)).toBe("2020-03-31\na: 5");
    });

    it("all zeros draw a flat line on the zero baseline", () => {
      const root = expectValidSvg(
        timeSeriesChart(
          { dates: dates.slice(0, 4), series: [{ name: "z", values: [0, 0, 0, 0] }] },
          { height: 400, margin: { top: 50, bottom: 50 } },
        ),
      );
      const d = select(root, "path", "mt-line")[0]?.attrs.d ?? "";
      const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => m[1]);
      expect(ys).toEqual(["350", "350", "350", "350"]);
    });

    it("gaps split a line instead of drawing through them", () => {
      const root = expectValidSvg(
        timeSeriesChart({ dates: dates.slice(0, 5), series: [{ name: "g", values: [1, 2, null, 4, 5] }] }),
      );
      const d = select(root, "path", "mt-line")[0]?.attrs.d ?? "";
      expect(d.match(/M/g)).toHaveLength(2);
    });
  });

  it("thins tooltip strips so 3,650 days × 5 series stay well under 1 MB", () => {
    const long = dailyDates("2016-01-01", 3650);
    const series = [0, 1, 2, 3, 4].map((k) => ({
      name: `series ${k}`,
      values: long.map((_, i) => 1e6 * k + i * 12_345.678),
    }));
    const svg = timeSeriesChart({ dates: long, series }, { hRules: [{ value: 87e6 }] });
    expect(svg.length).toBeLessThan(1_000_000);
    const hits = select(expectValidSvg(svg), "rect", "mt-hit");
    // default 960 px wide, 64 + 24 margins → 872 px plot → at most 290 strips, stride ceil(3650/290) = 13
    expect(hits.length).toBeLessThanOrEqual(290);
    expect(hits.length).toBe(Math.ceil(3650 / 13));
    expect(titleOf(hits[1]!)?.split("\n")[0]).toBe("2016-01-14");
    expect(titleOf(hits[1]!)?.split("\n")).toHaveLength(6);
  });

  it("a short series gets one strip per day with every value", () => {
    const root = expectValidSvg(timeSeriesChart(fixture, fixtureOptions));
    const hits = select(root, "rect", "mt-hit");
    expect(hits).toHaveLength(dates.length);
    expect(titleOf(hits[14]!)).toBe(
      "2020-03-31\nsimulated: 51,000,000\nplan: 56,000,000\nofficial: 48,000,000\n95% CI: 48,000,000 – 54,000,000",
    );
    expect(titleOf(hits[0]!)).toBe(
      "2019-01-31\nsimulated: 2,000,000\nplan: –\n95% CI: 1,800,000 – 2,200,000",
    );
  });

  it("clips marks to the plot when xDomain is narrower than the data", () => {
    const root = expectValidSvg(
      timeSeriesChart(fixture, { id: "narrow", xDomain: ["2020-01-01", "2020-06-30"] }),
    );
    expect(select(root, "g", "mt-marks")[0]?.attrs["clip-path"]).toBe("url(#narrow-clip)");
    expect(select(root, "rect", "mt-hit")).toHaveLength(6);
  });

  describe("rejects malformed input with a message naming the field", () => {
    const bad =
      (data: TimeSeriesData, opts = {}) =>
      () =>
        timeSeriesChart(data, opts);
    it("dates out of order", () => {
      expect(bad({ dates: ["2020-01-02", "2020-01-01"], series: [] })).toThrow(
        /data\.dates must be strictly increasing/,
      );
    });
    it("not an ISO date", () => {
      expect(bad({ dates: ["2020-02-30"], series: [] })).toThrow(
        /data\.dates\[0\] must be an ISO date YYYY-MM-DD, got "2020-02-30"/,
      );
    });
    it("length mismatch", () => {
      expect(bad({ dates: dates.slice(0, 3), series: [{ name: "a", values: [1, 2] }] })).toThrow(
        "data.series[0].values has 2 values but there are 3 dates",
      );
    });
    it("bad option", () => {
      expect(bad(fixture, { id: "1bad id" })).toThrow(/options\.id must match/);
      expect(bad(fixture, { yDomain: [5, 1] })).toThrow(/options\.yDomain/);
      expect(bad(fixture, { hRules: [{ value: Number.NaN }] })).toThrow(/options\.hRules\[0\]\.value/);
    });
    it("throws TwinError with code E_CHART", () => {
      try {
        timeSeriesChart({ dates: ["x"], series: [] });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TwinError);
        expect((e as TwinError).code).toBe("E_CHART");
      }
    });
  });
});

describe("timeSeriesChart with a narrow xDomain", () => {
  it("fits the automatic y range to the visible window", () => {
    const d = monthEnds(2019, 24);
    const root = expectValidSvg(
      timeSeriesChart(
        { dates: d, series: [{ name: "a", values: d.map((_, i) => (i < 12 ? 10 : 1000)) }] },
        { xDomain: ["2019-02-01", "2019-11-30"] },
      ),
    );
    const labels = select(root, "g", "mt-axis-y")[0]!.children.filter(
      (c) => c.name === "text" && c.attrs.class === undefined,
    );
    expect(Number(labels[labels.length - 1]?.text)).toBeLessThanOrEqual(10);
  });

  it("says so when nothing falls in the window", () => {
    const root = expectValidSvg(timeSeriesChart(fixture, { xDomain: ["2030-01-01", "2030-12-31"] }));
    expect(select(root, "text", "mt-no-data")[0]?.text).toBe("No data: nothing in the selected date range");
  });
});
