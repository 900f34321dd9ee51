import { describe, expect, it } from "vitest";
import { NetworkSummarySchema } from "../run-format/network.js";
import { NETWORK_DEFAULTS } from "./params.js";
import { networkFromScenario } from "./run-network.js";

describe("networkFromScenario", () => {
  it("gives no section without a network block, and a schema-valid one with it", () => {
    expect(networkFromScenario({}, 1)).toBeNull();
    const out = networkFromScenario({ network: { ...NETWORK_DEFAULTS, simulatedSeconds: 30 } }, 1);
    expect(out).not.toBeNull();
    const parsed = NetworkSummarySchema.parse(JSON.parse(JSON.stringify(out!.summary)));
    expect(parsed.shareOfPlan).toBeCloseTo(190 / 640, 12);
    expect(parsed.design.offeredPerSecond).toBeGreaterThan(parsed.actual.offeredPerSecond);
  });
});
