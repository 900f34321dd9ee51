import { describe, expect, it } from "vitest";
import { chartId, esc, num, textWidth, tickFormatter, truncate, valueFormatter } from "./_svg.js";
import { legend } from "./_axes.js";
import { parseDay } from "./_time.js";
import { parseXml, select } from "./_wellformed.js";

describe("_svg helpers", () => {
  it("esc escapes markup and both quotes, and drops characters XML cannot carry", () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(esc("a\u0000b\u001Fc\td\ud800e")).toBe("abc\tde");
    expect(esc("東京都 🗾")).toBe("東京都 🗾");
  });

  it("num writes at most 2 decimals, no -0, and refuses non-finite values", () => {
    expect(num(12.3456)).toBe("12.35");
    expect(num(-0.001)).toBe("0");
    expect(num(1e9)).toBe("1000000000");
    expect(() => num(Number.NaN)).toThrow(/non-finite/);
    expect(() => num(Infinity)).toThrow(/non-finite/);
  });

  it("value formatters", () => {
    expect(valueFormatter(undefined)(87_000_000)).toBe("87,000,000");
    expect(valueFormatter(undefined)(12.345678)).toBe("12.3457");
    expect(valueFormatter("millions")(87_000_000)).toBe("87");
    expect(valueFormatter("millions")(1_234_567)).toBe("1.235");
    expect(valueFormatter("si")(87_000_000)).toBe("87M");
    expect(valueFormatter("percent")(0.8)).toBe("80.0%");
    expect(valueFormatter(",.2f")(1234.5)).toBe("1,234.50");
    expect(valueFormatter((v) => `${v} d`)(3)).toBe("3 d");
    expect(() => valueFormatter("%%nope")).toThrow(/unknown number format/);
  });

  it("tick formatters follow the tick step", () => {
    expect([0, 2e7, 4e7].map(tickFormatter("millions", [0, 2e7, 4e7]))).toEqual(["0", "20", "40"]);
    expect([0, 5e5, 1e6].map(tickFormatter("millions", [0, 5e5, 1e6]))).toEqual(["0.0", "0.5", "1.0"]);
    expect([0, 0.5, 1].map(tickFormatter(undefined, [0, 0.5, 1]))).toEqual(["0.0", "0.5", "1.0"]);
    expect([0, 20000].map(tickFormatter(undefined, [0, 20000]))).toEqual(["0", "20,000"]);
    expect([0, 0.25, 0.5].map(tickFormatter("percent", [0, 0.25, 0.5]))).toEqual(["0%", "25%", "50%"]);
  });

  it("chartId checks given ids and derives stable defaults", () => {
    expect(chartId("ok-1", "x", "t")).toBe("ok-1");
    expect(() => chartId("no spaces", "x", "t")).toThrow(/options\.id/);
    expect(() => chartId('"><script>', "x", "t")).toThrow(/options\.id/);
    expect(chartId(undefined, "bar", "A")).toBe(chartId(undefined, "bar", "A"));
    expect(chartId(undefined, "bar", "A")).not.toBe(chartId(undefined, "bar", "B"));
    expect(chartId(undefined, "bar", "A")).toMatch(/^mt-bar-[0-9a-f]{8}$/);
  });

  it("text width counts CJK as full width; truncate adds an ellipsis", () => {
    expect(textWidth("東京都", 10)).toBe(30);
    expect(textWidth("Tokyo", 10)).toBeGreaterThan(20);
    expect(truncate("a very long prefecture label", 60, 12).endsWith("…")).toBe(true);
    expect(truncate("short", 100, 12)).toBe("short");
  });

  it("legend wraps to a new row when the width runs out", () => {
    const items = Array.from({ length: 8 }, (_, i) => ({
      label: `series number ${i}`,
      color: "#000000",
      shape: "line" as const,
    }));
    const one = legend(items, 0, 0, 5000);
    const wrapped = legend(items, 0, 0, 300);
    expect(one.height).toBe(20);
    expect(wrapped.height).toBeGreaterThan(20);
    expect(select(parseXml(wrapped.svg), "g", "mt-legend-item")).toHaveLength(8);
  });

  it("parseDay accepts real ISO days only, in UTC", () => {
    expect(parseDay("2020-03-31", "d")).toBe(Date.UTC(2020, 2, 31));
    expect(parseDay("2020-02-29", "d")).toBe(Date.UTC(2020, 1, 29));
    for (const bad of ["2019-02-29", "2020-3-31", "2020-03-31T00:00:00Z", "20200331", ""])
      expect(() => parseDay(bad, "d")).toThrow(/must be an ISO date/);
  });
});

describe("_wellformed parser", () => {
  it("accepts well-formed documents and decodes entities", () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><svg a="1" b='&lt;&#39;&#x41;'><g><title>x &amp; y</title></g><path/></svg>\n`,
    );
    expect(root.attrs.b).toBe("<'A");
    expect(select(root, "title")[0]?.text).toBe("x & y");
  });

  it.each([
    ["unbalanced", "<svg><g></svg>"],
    ["unclosed", "<svg><g>"],
    ["raw <", "<svg><text>a < b</text></svg>"],
    ["stray &", "<svg><text>a & b</text></svg>"],
    ["unknown entity", "<svg><text>&nbsp;</text></svg>"],
    ["raw < in attribute", `<svg a="<"/>`],
    ["unquoted attribute", "<svg a=1/>"],
    ["duplicate attribute", `<svg a="1" a="2"/>`],
    ["two roots", "<svg/><svg/>"],
    ["text outside root", "x<svg/>"],
    ["empty", ""],
  ])("rejects %s", (_, xml) => {
    expect(() => parseXml(xml)).toThrow(/not well-formed|raw|bad/);
  });
});
