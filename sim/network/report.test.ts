import { describe, expect, it } from "vitest";
import { mdBlocks } from "../issuance/report/blocks.js";
import { NETWORK_DEFAULTS } from "./params.js";
import { networkReportSection } from "./report.js";
import { networkFromScenario } from "./run-network.js";

describe("network report section", () => {
  it("is empty without a network section, and states use against design, latency and cost with one", () => {
    expect(networkReportSection(undefined)).toEqual([]);
    const s = networkFromScenario({ network: { ...NETWORK_DEFAULTS, simulatedSeconds: 20 } }, 3)!.summary;
    const md = mdBlocks(networkReportSection(s)).join("\n");
    expect(md).toContain("## Information provision network");
    expect(md).toContain("29.7 % of the design load");
    expect(md).toContain("design, busiest hour");
    expect(md).toContain("local-tax");
  });
});
