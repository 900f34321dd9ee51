import { describe, expect, it } from "vitest";
import { stackedAreaChart } from "./stacked-area-chart.js";
import { select, titleOf } from "./_wellformed.js";
import { expectValidSvg, monthEnds, px } from "./_test-helpers.js";

const dates = monthEnds(2019, 12);
const stages = ["aggregation", "factory", "transit", "counter"];
const data = {
  dates,
  series: stages.map((name, k) => ({
    name,
    values: dates.map((_, i) => (k === 2 && i === 5 ? null : 1000 * (k + 1) + 250 * i)),
  })),
};

describe("stackedAreaChart", () => {
  it("matches the stored snapshot", async () => {
    await expect(
      stackedAreaChart(data, { id: "backlog", title: "Backlog by stage", yLabel: "cards waiting" }),
    ).toMatchFileSnapshot("__snapshots__/stacked-area-chart.svg");
  });

  it("draws one area per stage, bottom first, the top edge at the total", () => {
    const svg = stackedAreaChart(data, {
      height: 400,
      margin: { top: 50, bottom: 50, left: 64, right: 24 },
      yDomain: [0, 20000],
    });
    const root = expectValidSvg(svg);
    const areas = select(root, "path", "mt-area");
    expect(areas).toHaveLength(4);
    expect(areas.map((a) => a.attrs.fill)).toEqual(["#4e79a7", "#f28e2b", "#e15759", "#76b7b2"]);
    // first point of the top layer: total of day 0 = 1000+2000+3000+4000 = 10000 → y = 350 − 300·0.5
    const first = /^M([\d.]+),([\d.]+)/.exec(areas[3]?.attrs.d ?? "");
    expect(first?.[1]).toBe("64");
    expect(first?.[2]).toBe(px(200));
  });

  it("counts a missing value as zero when stacked and lists the total in tooltips", () => {
    const root = expectValidSvg(stackedAreaChart(data));
    const t = titleOf(select(root, "rect", "mt-hit")[5]!);
    expect(t).toBe(
      "2019-06-30\naggregation: 2,250\nfactory: 3,250\ntransit: –\ncounter: 5,250\ntotal: 10,750",
    );
  });

  it("non-stacked mode: translucent areas from zero with outlines, gaps kept", () => {
    const root = expectValidSvg(stackedAreaChart(data, { stacked: false }));
    expect(select(root, "path", "mt-area")).toHaveLength(4);
    expect(select(root, "path", "mt-series-outline")).toHaveLength(4);
    expect(select(root, "path", "mt-area")[0]?.attrs["fill-opacity"]).toBe("0.25");
    expect(select(root, "path", "mt-series-outline")[2]?.attrs.d?.match(/M/g)).toHaveLength(2);
    expect(titleOf(select(root, "rect", "mt-hit")[0]!)).not.toContain("total");
  });

  it("escapes names, is deterministic, handles empty and all-zero input", () => {
    const evil = { dates: dates.slice(0, 2), series: [{ name: "<b>&", values: [1, 2] }] };
    const svg = stackedAreaChart(evil);
    expect(svg).toContain("&lt;b&gt;&amp;");
    expect(svg).not.toContain("<b>");
    expect(stackedAreaChart(data)).toBe(stackedAreaChart(data));
    expect(
      select(expectValidSvg(stackedAreaChart({ dates: [], series: [] })), "text", "mt-no-data"),
    ).toHaveLength(1);
    const zeros = expectValidSvg(
      stackedAreaChart({
        dates: dates.slice(0, 3),
        series: [
          { name: "a", values: [0, 0, 0] },
          { name: "b", values: [0, 0, 0] },
        ],
      }),
    );
    expect(select(zeros, "path", "mt-area")).toHaveLength(2);
    expectValidSvg(stackedAreaChart({ dates: ["2020-01-01"], series: [{ name: "a", values: [3] }] }));
  });

  it("rejects a length mismatch and a bad opacity", () => {
    expect(() => stackedAreaChart({ dates, series: [{ name: "a", values: [1] }] })).toThrow(
      "data.series[0].values has 1 values but there are 12 dates",
    );
    expect(() => stackedAreaChart(data, { opacity: 2 })).toThrow(/options\.opacity/);
  });
});
