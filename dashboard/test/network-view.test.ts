// @vitest-environment jsdom
/**
 * The run view's network section: present with the use-against-design chart, the busiest-hour table
 * and the cost per exchange when summary.json has a network part, absent otherwise.
 */
import { describe, expect, it } from "vitest";
import { NETWORK_DEFAULTS } from "../../sim/network/params.js";
import { networkFromScenario } from "../../sim/network/run-network.js";
import { networkSection } from "../src/views/network-view.js";

describe("network section of the run view", () => {
  const n = networkFromScenario({ network: { ...NETWORK_DEFAULTS, simulatedSeconds: 20 } }, 3)!.summary;

  it("shows use against the design on a log axis, the busiest hour and the cost per exchange", () => {
    const el = networkSection(n, 640)!;
    expect(el.id).toBe("network");
    const svg = el.querySelector("figure[data-chart=network-use] svg")!;
    expect(svg).not.toBeNull();
    const bars = [...svg.querySelectorAll("title")].map((t) => t.textContent ?? "");
    // one bar for the run and one per observed year, in input order, with their share of the design
    expect(bars.filter((t) => t.startsWith("this run"))).toHaveLength(1);
    expect(bars.some((t) => t.startsWith("FY2018, all users") && t.includes("1.3 % of design"))).toBe(true);
    expect(svg.textContent).toContain("design");
    const rows = [...el.querySelectorAll("tbody tr")].map((r) => r.firstElementChild!.textContent);
    expect(rows).toEqual(["this run, busiest hour", "design, busiest hour"]);
    // the same cost text as report.md (sim/network/report.test.ts)
    expect(el.textContent).toContain("29.7 % of the design");
    expect(el.textContent).toMatch(/¥[\d.,]+ \(¥[\d.,]+–[\d.,]+\) at this use/);
  });

  it("is absent for runs without a network model", () => {
    expect(networkSection(undefined, 640)).toBeNull();
  });
});
