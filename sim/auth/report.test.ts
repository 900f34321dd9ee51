import { describe, expect, it } from "vitest";
import { mdBlocks } from "../issuance/report/blocks.js";
import { AUTH_FIXTURE } from "../run-format/_auth-fixture.js";
import { authReportSection } from "./report.js";

describe("auth report section", () => {
  it("is empty for runs without an auth model", () => {
    expect(authReportSection(undefined)).toEqual([]);
  });

  it("has the chart, the latency table with the target row and the fluid/request comparison", () => {
    const blocks = authReportSection(AUTH_FIXTURE);
    expect(blocks.filter((b) => b.kind === "chart")).toHaveLength(1);
    const md = mdBlocks(blocks).join("\n");
    expect(md).toContain("## Authentication");
    expect(md).toContain("87 M (target)");
    expect(md).toContain("p99 fluid (ms)");
    expect(md).toContain("1 platform, 1 J-LIS");
    expect(md).toContain("do not load the issuance counters in this scenario");
    const fed = mdBlocks(
      authReportSection({
        ...AUTH_FIXTURE,
        lockouts: { ...AUTH_FIXTURE.lockouts, fedIntoIssuanceCounters: true },
      }),
    ).join("\n");
    expect(fed).toContain("They load the issuance counters");
    expect(md).toContain("pinned by the scenario");
  });
});
