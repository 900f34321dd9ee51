/**
 * The shared-crosshair arithmetic (crosshair.ts) and the date-axis annotations of _time.ts.
 * @module
 */
import { describe, expect, it } from "vitest";
import { crosshairFrame, dayAtX, stepDay, stripFor, xOfDay } from "./crosshair.js";
import { timeSeriesChart } from "./time-series-chart.js";
import { mulberry32, randomInt } from "../random/small-prng.js";
import { select } from "./_wellformed.js";
import type { TimeAnnotation } from "./_time.js";
import { dailyDates, expectValidSvg } from "./_test-helpers.js";

describe("crosshair arithmetic", () => {
  const dates = dailyDates("2016-01-01", 40);
  const svg = timeSeriesChart(
    { dates, series: [{ name: "a", values: dates.map((_, i) => i) }] },
    { id: "c", width: 600, xDomain: ["2016-01-01", "2016-02-09"] },
  );
  const root = expectValidSvg(svg);
  const frame = crosshairFrame(root.attrs["data-plot"] ?? null, root.attrs["data-x-domain"] ?? null);

  it("reads the plot box and x domain a time chart writes on its root", () => {
    expect(root.attrs["data-x-domain"]).toBe("2016-01-01 2016-02-09");
    expect(frame.left).toBeLessThan(frame.right);
    expect(dayAtX(frame, frame.left)).toBe("2016-01-01");
    expect(dayAtX(frame, frame.right)).toBe("2016-02-09");
    expect(dayAtX(frame, frame.left - 100)).toBe("2016-01-01"); // clamped
  });

  it("finds the strip of a day among the chart's own strips", () => {
    const strips = select(root, "rect", "mt-hit").map((r) => r.attrs["data-date"] ?? "");
    expect(strips[0]).toBe("2016-01-01");
    const k = stripFor(strips, "2016-01-20");
    expect(strips[k]).toBe("2016-01-20");
    expect(stripFor(strips, "2015-12-01")).toBe(0);
    expect(stripFor([], "2016-01-01")).toBe(-1);
  });

  it("round-trips day → x → day for any day in the domain (seeded, 2,000 days)", () => {
    const rnd = mulberry32(20161231);
    for (let i = 0; i < 2000; i++) {
      const day = stepDay(frame, "2016-01-01", randomInt(rnd, 40));
      expect(dayAtX(frame, xOfDay(frame, day))).toBe(day);
    }
    expect(stepDay(frame, "2016-02-01", 30)).toBe("2016-02-09");
    expect(stepDay(frame, "2016-01-05", -30)).toBe("2016-01-01");
  });

  it("refuses a chart without geometry with one clear message", () => {
    expect(() => crosshairFrame(null, "2016-01-01 2016-02-01")).toThrow(/data-plot must be/);
    expect(() => crosshairFrame("0 0 10 10", "2016-13-01 2016-02-01")).toThrow(
      /data-x-domain\[0\] must be an ISO date/,
    );
  });
});

describe("time chart annotations", () => {
  const dates = dailyDates("2016-01-01", 60);
  const chart = (annotations: TimeAnnotation[]) =>
    expectValidSvg(
      timeSeriesChart(
        { dates, series: [{ name: "a", values: dates.map((_, i) => i) }] },
        { id: "t", annotations },
      ),
    );

  it("draws windows as spans and days as lines, each with its title and dates", () => {
    const root = chart([
      { start: "2016-01-13", label: "J-LIS outage", kind: "outage" },
      { start: "2016-02-01", end: "2016-02-15", label: "campaign", kind: "campaign" },
      { start: "2015-01-01", end: "2015-12-31", label: "before the chart" },
    ]);
    const marks = select(root, "g", "mt-annotation");
    expect(marks.map((m) => m.attrs["data-start"])).toEqual(["2016-01-13", "2016-02-01"]);
    expect(marks[1]!.children.find((c) => c.name === "title")!.text).toBe(
      "campaign: 2016-02-01 – 2016-02-15",
    );
    expect(marks[0]!.children.some((c) => c.name === "line")).toBe(true);
    expect(marks[1]!.children.some((c) => c.name === "rect")).toBe(true);
  });

  it("refuses an annotation that ends before it starts", () => {
    expect(() => chart([{ start: "2016-02-01", end: "2016-01-01", label: "x" }])).toThrow(
      /options\.annotations\[0\]\.end 2016-01-01 is before its start 2016-02-01/,
    );
  });
});
