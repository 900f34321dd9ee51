/**
 * The network block's parameter labels (issue 12 item 1): every numeric field of the defaults has a
 * label (the shipped scenarios: scenarios/network-scenario.test.ts), sourced ones cite FACTS, assumed ones have a
 * range holding the value; a sourced figure set to another value becomes an assumption.
 */
import { describe, expect, it } from "vitest";
import { NetworkParameterRowSchema } from "../run-format/network.js";
import { networkParameterTable, numericNetworkParameters } from "./network-labels.js";
import { NETWORK_DEFAULTS, type NetworkParams } from "./params.js";

/** Every numeric field labelled, sourced ones citing FACTS §5.5, assumed ones with a range holding the value. */
function checkAll(p: NetworkParams, what: string): void {
  const { rows, unlabelled } = networkParameterTable(p);
  expect(unlabelled, what).toEqual([]);
  expect(rows.length, what).toBe(numericNetworkParameters(p).length);
  for (const r of rows) {
    expect(NetworkParameterRowSchema.parse(r)).toEqual(r);
    if (r.label === "sourced") {
      expect(r.source, `${what} ${r.path}`).toMatch(/FACTS §5\.5/);
      expect(r.range).toBeNull();
    } else {
      expect(r.range, `${what} ${r.path}`).not.toBeNull();
      expect(r.range![0]).toBeLessThanOrEqual(r.value);
      expect(r.range![1]).toBeGreaterThanOrEqual(r.value);
      expect(r.source.length).toBeGreaterThan(10);
    }
  }
}

describe("network parameter labels", () => {
  it("label every numeric field of the defaults", () => {
    checkAll(NETWORK_DEFAULTS, "defaults");
    const { rows } = networkParameterTable(NETWORK_DEFAULTS);
    const row = (path: string) => rows.find((r) => r.path === path)!;
    expect(row("network.designAnnualExchanges")).toMatchObject({ label: "sourced", value: 640e6 });
    expect(row("network.annualCostYen")).toMatchObject({ label: "assumed", range: [6.7e9, 11.8e9] });
    const tax = row("network.procedureShares.local-tax");
    expect(tax.label).toBe("assumed");
    expect(tax.range![0]).toBeCloseTo(0.15, 12);
    expect(tax.range![1]).toBeCloseTo(0.45, 12);
    expect(row("network.observedUse[1].exchanges")).toMatchObject({ label: "sourced", value: 8.03e6 });
  });

  it("a sourced figure set to another value is an assumption spanning both; an unknown procedure is labelled", () => {
    const p = { ...NETWORK_DEFAULTS, annualExchanges: 300e6, procedureShares: { "new-family": 1 } };
    const { rows, unlabelled } = networkParameterTable(p);
    expect(unlabelled).toEqual([]);
    expect(rows.find((r) => r.path === "network.annualExchanges")).toMatchObject({
      label: "assumed",
      range: [190e6, 300e6],
    });
    expect(rows.find((r) => r.path === "network.procedureShares.new-family")).toMatchObject({
      label: "assumed",
      range: [0.5, 1.5],
    });
    // an assumed value outside its declared range widens the range to hold it
    const far = networkParameterTable({ ...NETWORK_DEFAULTS, networkDelayMs: 80 }).rows;
    expect(far.find((r) => r.path === "network.networkDelayMs")!.range).toEqual([5, 80]);
  });
});
