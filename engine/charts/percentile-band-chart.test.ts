import { describe, expect, it } from "vitest";
import { percentileBandChart } from "./percentile-band-chart.js";
import { timeSeriesChart } from "./time-series-chart.js";
import { select } from "./_wellformed.js";
import type { XmlElement } from "./_wellformed.js";
import { dailyDates, expectValidSvg } from "./_test-helpers.js";

const dates = dailyDates("2020-01-01", 30);
const p50 = dates.map((_, i) => 20 + (i % 7));
const data = {
  dates,
  p50,
  p90: p50.map((v) => v * 1.7),
  p99: p50.map((v, i) => (i === 10 ? null : v * 2.4)),
};

const xTicks = (root: XmlElement) =>
  select(root, "g", "mt-axis-x")[0]!
    .children.filter((c) => c.name === "text" && c.attrs.class === undefined)
    .map((t) => `${t.attrs.x}:${t.text}`);

describe("percentileBandChart", () => {
  it("matches the stored snapshot", async () => {
    const svg = percentileBandChart(data, {
      id: "lead",
      title: "Lead time, application to hand-over",
      hRules: [{ value: 30, label: "30-day target" }],
    });
    await expect(svg).toMatchFileSnapshot("__snapshots__/percentile-band-chart.svg");
  });

  it("draws p50, p90, p99 with p50 boldest, and a p50–p90 band by default", () => {
    const root = expectValidSvg(percentileBandChart(data));
    const lines = select(root, "path", "mt-line");
    expect(lines).toHaveLength(3);
    const widths = lines.map((l) => Number(l.attrs["stroke-width"]));
    expect(widths[0]).toBe(Math.max(...widths));
    expect(lines[0]?.attrs["stroke-dasharray"]).toBeUndefined();
    expect(lines[1]?.attrs["stroke-dasharray"]).toBe("6 3");
    expect(select(root, "path", "mt-band")).toHaveLength(1);
    expect(select(root, "text", "mt-axis-label")[0]?.text).toBe("↑ lead time (days)");
    const legend = select(root, "g", "mt-legend-item").map(
      (g) => g.children.find((c) => c.name === "text")?.text,
    );
    expect(legend).toEqual(["p50", "p90", "p99", "p50–p90"]);
  });

  it("shade none drops the band; p50-p99 names it", () => {
    expect(
      select(expectValidSvg(percentileBandChart(data, { shade: "none" })), "path", "mt-band"),
    ).toHaveLength(0);
    const root = expectValidSvg(percentileBandChart(data, { shade: "p50-p99" }));
    expect(
      select(root, "g", "mt-legend-item").map((g) => g.children.find((c) => c.name === "text")?.text),
    ).toContain("p50–p99");
  });

  it("lines up with a time-series chart given the same xDomain and width", () => {
    const xDomain = ["2019-07-01", "2020-06-30"] as const;
    const vRules = [{ date: "2020-01-15" }];
    const a = expectValidSvg(percentileBandChart(data, { xDomain, vRules, title: "lead time" }));
    const b = expectValidSvg(
      timeSeriesChart(
        {
          dates,
          series: [
            { name: "x", values: p50.map((v) => v * 1e6) },
            { name: "y", values: p50 },
          ],
        },
        { xDomain, vRules, title: "cards" },
      ),
    );
    expect(xTicks(a)).toEqual(xTicks(b));
    expect(xTicks(a).length).toBeGreaterThan(3);
    expect(select(a, "line", "mt-rule")[0]?.attrs.x1).toBe(select(b, "line", "mt-rule")[0]?.attrs.x1);
  });

  it("tooltips give the day's percentiles in days", () => {
    const root = expectValidSvg(percentileBandChart(data));
    const t = select(root, "rect", "mt-hit")[10]?.children[0]?.text;
    expect(t).toBe("2020-01-11\np50: 23\np90: 39.1\np99: –\np50–p90: 23 – 39.1");
  });

  it("all-null percentiles give No data; is deterministic; rejects bad shade", () => {
    const empty = {
      dates,
      p50: dates.map(() => null),
      p90: dates.map(() => null),
      p99: dates.map(() => null),
    };
    expect(select(expectValidSvg(percentileBandChart(empty)), "text", "mt-no-data")).toHaveLength(1);
    expect(percentileBandChart(data, { title: "t" })).toBe(percentileBandChart(data, { title: "t" }));
    expect(() => percentileBandChart(data, { shade: "p10" as never })).toThrow(/options\.shade/);
  });
});
