import { describe, expect, it } from "vitest";
import { heatmapChart, rampColor } from "./heatmap-chart.js";
import { select, titleOf } from "./_wellformed.js";
import { expectValidSvg } from "./_test-helpers.js";
import { mulberry32, randomInt } from "../random/small-prng.js";

const data = {
  x: [50, 100, 150, 200],
  y: ["1 staff", "2 staff", "3 staff"],
  values: [
    [10, 20, 30, 40],
    [15, 30, null, 60],
    [20, 40, 60, 87],
  ],
};

describe("heatmapChart", () => {
  it("matches the stored snapshot", async () => {
    const svg = heatmapChart(data, {
      id: "sweep",
      title: "Cards by 2020-03-31",
      xLabel: "factory capacity (k cards/day)",
      yLabel: "counter staff",
      valueLabel: "cards (millions)",
    });
    await expect(svg).toMatchFileSnapshot("__snapshots__/heatmap-chart.svg");
  });

  it("draws one cell per grid value, ramp ends at min and max, missing cells grey", () => {
    const root = expectValidSvg(heatmapChart(data, { id: "h" }));
    const cells = select(root, "rect", "mt-cell");
    expect(cells).toHaveLength(12);
    expect(cells[0]?.attrs.fill).toBe("#440154");
    expect(cells[11]?.attrs.fill).toBe("#fde725");
    expect(cells[6]?.attrs.fill).toBe("#eeeeee");
    expect(titleOf(cells[6]!)).toBe("2 staff\n150\nvalue: no value");
    expect(select(root, "linearGradient")[0]?.attrs.id).toBe("h-ramp");
  });

  it("cell tooltips name both axes and the exact value", () => {
    const root = expectValidSvg(
      heatmapChart(data, { xLabel: "capacity", yLabel: "staff", valueLabel: "cards", tooltipFormat: ",.1f" }),
    );
    expect(titleOf(select(root, "rect", "mt-cell")[4]!)).toBe("staff: 2 staff\ncapacity: 50\ncards: 15.0");
  });

  it("a diverging scheme puts the midpoint at the neutral colour", () => {
    const root = expectValidSvg(
      heatmapChart({ x: ["a", "b", "c"], y: ["r"], values: [[-5, 0, 10]] }, { scheme: "rdbu" }),
    );
    expect(select(root, "rect", "mt-cell").map((c) => c.attrs.fill)).toEqual([
      "#67001f",
      "#f7f7f7",
      "#053061",
    ]);
    const rev = expectValidSvg(
      heatmapChart({ x: ["a", "b"], y: ["r"], values: [[1, 2]] }, { scheme: "blues", reverse: true }),
    );
    expect(select(rev, "rect", "mt-cell").map((c) => c.attrs.fill)).toEqual(["#08306b", "#f7fbff"]);
  });

  it("yReverse draws the first row at the bottom", () => {
    const top = expectValidSvg(heatmapChart(data));
    const rev = expectValidSvg(heatmapChart(data, { yReverse: true }));
    const y0 = Number(select(top, "rect", "mt-cell")[0]?.attrs.y);
    const y0r = Number(select(rev, "rect", "mt-cell")[0]?.attrs.y);
    expect(y0r).toBeGreaterThan(y0);
  });

  it("rotates long column labels and hides cell values that do not fit", () => {
    const wide = {
      x: Array.from({ length: 30 }, (_, i) => `capacity level ${i}`),
      y: ["a"],
      values: [Array.from({ length: 30 }, (_, i) => i * 1234.5678)],
    };
    const root = expectValidSvg(heatmapChart(wide));
    expect(select(root, "text").some((t) => (t.attrs.transform ?? "").includes("rotate(-45)"))).toBe(true);
    expect(select(root, "g", "mt-cells")[0]?.children.filter((c) => c.name === "text")).toHaveLength(0);
  });

  it("escapes, is deterministic and handles edge inputs", () => {
    const svg = heatmapChart({ x: ["<x>"], y: ["&y"], values: [[1]] }, { title: "<t>" });
    expect(svg).not.toMatch(/<x>|<t>/);
    expectValidSvg(svg);
    expect(heatmapChart(data)).toBe(heatmapChart(data));
    expect(
      select(expectValidSvg(heatmapChart({ x: [], y: [], values: [] })), "text", "mt-no-data"),
    ).toHaveLength(1);
    expect(
      select(expectValidSvg(heatmapChart({ x: ["a"], y: ["b"], values: [[null]] })), "text", "mt-no-data"),
    ).toHaveLength(1);
    const zeros = expectValidSvg(heatmapChart({ x: ["a", "b"], y: ["c"], values: [[0, 0]] }));
    expect(select(zeros, "rect", "mt-cell")).toHaveLength(2);
    expectValidSvg(heatmapChart({ x: ["a"], y: ["b"], values: [[42]] }));
  });

  it("rejects a grid that does not match its categories", () => {
    expect(() => heatmapChart({ x: [1, 2], y: ["a"], values: [[1]] })).toThrow(
      "data.values[0] must have 2 values (one per data.x), got 1",
    );
    expect(() => heatmapChart({ x: [1], y: ["a", "b"], values: [[1]] })).toThrow(
      "data.values has 1 rows but data.y has 2 categories",
    );
    expect(() => heatmapChart(data, { scheme: "jet" as never })).toThrow(/options\.scheme/);
  });

  it("rampColor interpolates in RGB and clamps", () => {
    expect(rampColor(["#000000", "#ffffff"], 0.5)).toBe("#808080");
    expect(rampColor(["#000000", "#ffffff"], -1)).toBe("#000000");
    expect(rampColor(["#000000", "#ff0000", "#ffffff"], 0.75)).toBe("#ff8080");
  });
});

describe("heatmapChart split at a threshold", () => {
  const hue = (hex: string | undefined) => {
    const n = parseInt((hex ?? "#000000").slice(1), 16);
    return { r: (n >> 16) & 255, b: n & 255 };
  };
  const offsets = {
    x: ["a", "b", "c", "d"],
    y: ["row"],
    values: [[-1, 2, -300, 40]],
  };

  it("gives −1 d (made it) and +2 d (missed) different hues, neither white (regression: a scale centred on zero showed both white)", () => {
    const root = expectValidSvg(
      heatmapChart(offsets, { id: "s", split: { at: 0, good: "atOrBelow", label: "2016-12-31" } }),
    );
    const cells = select(root, "rect", "mt-cell").map((c) => hue(c.attrs.fill));
    const [early, late, veryEarly, veryLate] = cells as [
      ReturnType<typeof hue>,
      ReturnType<typeof hue>,
      ReturnType<typeof hue>,
      ReturnType<typeof hue>,
    ];
    expect(early.b).toBeGreaterThan(early.r + 40); // blue
    expect(late.r).toBeGreaterThan(late.b + 40); // red
    expect(veryEarly.b + veryEarly.r).toBeLessThan(early.b + early.r); // darker farther away
    expect(veryLate.r + veryLate.b).toBeLessThan(late.r + late.b);
    // the threshold is ticked on the legend with its label
    const split = select(root, "line", "mt-split");
    expect(split).toHaveLength(1);
    expect(select(root, "text").some((t) => t.text === "2016-12-31")).toBe(true);
    // the old centred diverging scale: both near-white (what the issue reported)
    const old = expectValidSvg(
      heatmapChart(offsets, { id: "o", scheme: "rdbu", reverse: true, domain: [-300, 300], midpoint: 0 }),
    );
    const [o1, o2] = select(old, "rect", "mt-cell").map((c) => hue(c.attrs.fill));
    expect(Math.abs(o1!.b - o1!.r)).toBeLessThan(20);
    expect(Math.abs(o2!.b - o2!.r)).toBeLessThan(20);
  });

  it("colours the threshold value itself as good, on either side", () => {
    const below = expectValidSvg(
      heatmapChart(
        { x: ["x", "y"], y: ["r"], values: [[0, 1]] },
        { id: "b", split: { at: 0, good: "atOrBelow" } },
      ),
    );
    const [z, o] = select(below, "rect", "mt-cell").map((c) => hue(c.attrs.fill));
    expect(z!.b).toBeGreaterThan(z!.r);
    expect(o!.r).toBeGreaterThan(o!.b);
    const above = expectValidSvg(
      heatmapChart(
        { x: ["x", "y"], y: ["r"], values: [[87e6, 86.9e6]] },
        { id: "a", split: { at: 87e6, good: "atOrAbove" } },
      ),
    );
    const [met, short] = select(above, "rect", "mt-cell").map((c) => hue(c.attrs.fill));
    expect(met!.b).toBeGreaterThan(met!.r);
    expect(short!.r).toBeGreaterThan(short!.b);
  });

  it("rejects a malformed split with one clear message", () => {
    expect(() => heatmapChart(offsets, { split: { at: Number.NaN, good: "atOrBelow" } })).toThrow(
      /options\.split\.at must be a finite number/,
    );
    expect(() =>
      heatmapChart(offsets, { split: { at: 0, good: "sideways" as unknown as "atOrBelow" } }),
    ).toThrow(/options\.split\.good must be "atOrBelow" or "atOrAbove"/);
  });
});

describe("heatmapChart split, property (seeded)", () => {
  it("puts every value on its side's hue, whatever the values and threshold (1,000 random grids)", () => {
    const rnd = mulberry32(87_000_000);
    let cells = 0;
    for (let k = 0; k < 1000; k++) {
      const n = 1 + randomInt(rnd, 6);
      const at = randomInt(rnd, 2001) - 1000;
      const values = [Array.from({ length: n }, () => at + randomInt(rnd, 801) - 400)];
      const good = randomInt(rnd, 2) === 0 ? "atOrBelow" : "atOrAbove";
      const root = expectValidSvg(
        heatmapChart(
          { x: values[0]!.map((_, i) => `c${i}`), y: ["r"], values },
          { id: "p", split: { at, good }, showValues: false },
        ),
      );
      select(root, "rect", "mt-cell").forEach((c, i) => {
        const v = values[0]![i]!;
        const n2 = parseInt(c.attrs.fill!.slice(1), 16);
        const [r, b] = [(n2 >> 16) & 255, n2 & 255];
        const isGood = good === "atOrBelow" ? v <= at : v >= at;
        if (isGood) expect(b - r, `value ${v}, threshold ${at}`).toBeGreaterThan(40);
        else expect(r - b, `value ${v}, threshold ${at}`).toBeGreaterThan(40);
        cells++;
      });
    }
    expect(cells).toBeGreaterThan(2500);
  });
});
