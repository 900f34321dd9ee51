import { describe, expect, it } from "vitest";
import { mdBlocks } from "../issuance/report/blocks.js";
import { NETWORK_DEFAULTS } from "./params.js";
import { networkReportSection } from "./report.js";
import { networkFromScenario } from "./run-network.js";
import { networkUseChart } from "../run-format/network.js";

describe("network report section", () => {
  it("is empty without a network section, and states use against design, latency and cost with one", () => {
    expect(networkReportSection(undefined)).toEqual([]);
    const s = networkFromScenario({ network: { ...NETWORK_DEFAULTS, simulatedSeconds: 20 } }, 3)!.summary;
    const md = mdBlocks(networkReportSection(s)).join("\n");
    expect(md).toContain("## Information provision network");
    expect(md).toContain("29.7 % of the design load");
    expect(md).toContain("design, busiest hour");
    expect(md).toContain("local-tax");
    // the cost at 5 % of plan with the assumed cost range, and its ratio to design use
    expect(md).toContain(
      "5 % of plan (2021, 32 M a year) each exchange costs **¥260 (¥209–369)**, 20× its cost",
    );
    expect(md).toContain("| FY2018 | all users | 8,030,000 | 1.3 % |");
    expect(md).toMatch(/\| Jun \| 20,900,000 \| 43\.5 \|/);
    expect(md).toContain(
      "| network.annualCostYen | 8,322,222,222.222 | assumed | 6,700,000,000 – 11,800,000,000 |",
    );
    expect(md).toContain("| network.designAnnualExchanges | 640,000,000 | sourced | – | FACTS §5.5");
  });

  it("charts use against the design from the decade below the smallest figure, a zero as no value", () => {
    const s = networkFromScenario({ network: { ...NETWORK_DEFAULTS, simulatedSeconds: 20 } }, 3)!.summary;
    const svg = networkUseChart(s, "network-use");
    expect(svg).toContain(">1M<"); // FY2017's 1.49 M sets the base
    expect(svg).toContain("this run");
    expect(svg).toContain("design");
    const idle = networkUseChart({ ...s, annualExchanges: 0, shareOfPlan: 0 }, "network-use");
    expect(idle).toContain("no value");
  });
});
