import { describe, expect, it } from "vitest";
import { barChart } from "./bar-chart.js";
import type { BarDatum } from "./bar-chart.js";
import { select, titleOf } from "./_wellformed.js";
import { expectValidSvg, px } from "./_test-helpers.js";

const data: BarDatum[] = [
  { label: "Hokkaido", value: 0.52, marker: 0.5 },
  { label: "Tokyo", value: 0.61, marker: 0.63 },
  { label: "Osaka", value: 0.55, marker: 0.54 },
  { label: "Okinawa", value: null, marker: 0.41 },
  { label: "Miyazaki", value: 0.71 },
];

const rowLabels = (svg: string) => select(expectValidSvg(svg), "text", "mt-bar-label").map((t) => t.text);

describe("barChart", () => {
  it("matches the stored snapshot", async () => {
    const svg = barChart(data, {
      id: "coverage",
      title: "Card coverage by prefecture",
      xLabel: "cards per resident (%)",
      format: "percent",
      valueName: "simulated",
      markerName: "official",
      rules: [{ value: 0.58, label: "national" }],
    });
    await expect(svg).toMatchFileSnapshot("__snapshots__/bar-chart.svg");
  });

  it("ranks rows by value, missing values last, ties in input order", () => {
    expect(rowLabels(barChart(data))).toEqual(["Miyazaki", "Tokyo", "Osaka", "Hokkaido", "Okinawa"]);
    expect(rowLabels(barChart(data, { sort: "ascending" }))).toEqual([
      "Hokkaido",
      "Osaka",
      "Tokyo",
      "Miyazaki",
      "Okinawa",
    ]);
    expect(rowLabels(barChart(data, { sort: "none" }))).toEqual(data.map((d) => d.label));
    const ties = [
      { label: "a", value: 1 },
      { label: "b", value: 2 },
      { label: "c", value: 1 },
    ];
    expect(rowLabels(barChart(ties))).toEqual(["b", "a", "c"]);
  });

  it("draws one bar per value and one tick per marker at the right pixel", () => {
    const svg = barChart(data, {
      width: 600,
      format: "percent",
      domain: [0, 1],
      margin: { left: 100, right: 100, top: 60, bottom: 10 },
      sort: "none",
    });
    const root = expectValidSvg(svg);
    expect(select(root, "rect", "mt-bar")).toHaveLength(4);
    const markers = select(root, "line", "mt-marker");
    expect(markers).toHaveLength(4);
    // Tokyo's official 0.63 on [0, 1] over x ∈ [100, 500]
    expect(markers[1]?.attrs.x1).toBe(px(100 + 400 * 0.63));
    const tokyoBar = select(root, "rect", "mt-bar")[1];
    expect(tokyoBar?.attrs.x).toBe("100");
    expect(tokyoBar?.attrs.width).toBe(px(400 * 0.61));
    expect(select(root, "text", "mt-bar-value").map((t) => t.text)).toEqual([
      "52.0%",
      "61.0%",
      "55.0%",
      "no value",
      "71.0%",
    ]);
  });

  it("row tooltips give value, marker and difference", () => {
    const root = expectValidSvg(barChart(data, { format: "percent", markerName: "official (MIC)" }));
    expect(titleOf(select(root, "rect", "mt-hit")[1]!)).toBe(
      "Tokyo\nvalue: 61.0%\nofficial (MIC): 63.0%\ndifference: -2.0%".replace("-", "−"),
    );
    expect(titleOf(select(root, "rect", "mt-hit")[4]!)).toBe("Okinawa\nvalue: –\nofficial (MIC): 41.0%");
  });

  it("grows with the row count; 47 rows fit and stay valid", () => {
    const rows = Array.from({ length: 47 }, (_, i) => ({ label: `pref ${i + 1}`, value: (i * 37) % 47 }));
    const root = expectValidSvg(barChart(rows));
    const h = Number(root.attrs.viewBox?.split(" ")[3]);
    expect(h).toBeGreaterThan(47 * 18);
    expect(select(root, "rect", "mt-bar")).toHaveLength(47); // value 0 still gets a (zero-width) bar
  });

  it("escapes labels, is deterministic, and handles edge inputs", () => {
    const svg = barChart([{ label: "<script>x</script>", value: 1 }]);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;");
    expect(barChart(data)).toBe(barChart(data));
    expect(select(expectValidSvg(barChart([])), "text", "mt-no-data")).toHaveLength(1);
    expect(
      select(expectValidSvg(barChart([{ label: "a", value: null }])), "text", "mt-no-data"),
    ).toHaveLength(1);
    const zeros = expectValidSvg(
      barChart([
        { label: "a", value: 0 },
        { label: "b", value: 0 },
      ]),
    );
    expect(select(zeros, "rect", "mt-bar").map((r) => r.attrs.width)).toEqual(["0", "0"]);
    expectValidSvg(
      barChart([
        { label: "neg", value: -3 },
        { label: "pos", value: 2 },
      ]),
    );
  });

  it("rejects bad input", () => {
    expect(() => barChart([{ label: 3 as unknown as string, value: 1 }])).toThrow(
      "data[0].label must be a string",
    );
    expect(() => barChart(data, { sort: "random" as never })).toThrow(/options\.sort/);
    expect(() => barChart(data, { domain: [1, 1] })).toThrow(/options\.domain/);
  });
});

describe("barChart on a log scale", () => {
  const ratios = [
    { label: "fast", value: 575_352, marker: 1000 },
    { label: "slow", value: 0.145 },
    { label: "even", value: 1.2 },
  ];

  it("spans decades with power-of-ten ticks, bars from ×1, and every ratio visible (regression: a linear axis squashed ×0.145 and ×1.2 to nothing)", () => {
    const root = expectValidSvg(
      barChart(ratios, { id: "l", scale: "log", base: 1, format: (v) => `×${v}`, width: 960 }),
    );
    const ticks = select(root, "g", "mt-axis-x")[0]!
      .children.filter((c) => c.name === "text")
      .map((t) => t.text);
    expect(ticks).toEqual(expect.arrayContaining(["×0.1", "×1", "×1000000"]));
    const widths = select(root, "rect", "mt-bar").map((b) => Number(b.attrs.width));
    expect(Math.min(...widths)).toBeGreaterThan(5);
    const xs = select(root, "rect", "mt-bar").map((b) => Number(b.attrs.x));
    // "slow" (below parity) extends left of the ×1 base, the others start at it
    const base = Math.max(...xs);
    expect(xs.filter((x) => x === base)).toHaveLength(2);
    expect(select(root, "line", "mt-marker")).toHaveLength(1);
    // linear, the same data leaves the small ratios under a pixel
    const lin = expectValidSvg(barChart(ratios, { id: "n", width: 960 }));
    const linWidths = select(lin, "rect", "mt-bar").map((b) => Number(b.attrs.width));
    expect(Math.min(...linWidths)).toBeLessThan(1);
  });

  it("refuses values it cannot draw on a log scale, naming the row", () => {
    expect(() => barChart([{ label: "zero", value: 0 }], { scale: "log" })).toThrow(
      /value 0 of "zero" cannot be drawn on a log scale/,
    );
    expect(() => barChart(ratios, { scale: "log", base: -1 })).toThrow(
      /options\.base must be a positive number/,
    );
    expect(() => barChart(ratios, { scale: "cubic" as "log" })).toThrow(
      /options\.scale must be "linear" or "log"/,
    );
  });
});
