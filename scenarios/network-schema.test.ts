import { describe, expect, it } from "vitest";
import { NETWORK_DEFAULTS } from "../sim/network/params.js";
import { networkBlockSchema } from "./network-schema.js";

describe("network: scenario block", () => {
  it("an empty block is the defaults", () => {
    expect(networkBlockSchema.parse({})).toEqual(NETWORK_DEFAULTS);
  });

  it("overrides what it names and refuses bad values with the field and what was expected", () => {
    expect(
      networkBlockSchema.parse({ annualExchanges: 640e6, core: { servers: 4, serviceMs: 10 } }),
    ).toMatchObject({
      annualExchanges: 640e6,
      core: { servers: 4, serviceMs: 10 },
    });
    const bad = (v: unknown) => {
      const r = networkBlockSchema.safeParse(v);
      expect(r.success).toBe(false);
      return r.success ? "" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    };
    expect(bad({ monthShares: [1] })).toMatch(/monthShares: expected 12 monthly shares/);
    expect(bad({ monthShares: Array(12).fill(0.1) })).toMatch(/summing to 1/);
    expect(bad({ core: { servers: 0, serviceMs: 10 } })).toMatch(/core\.servers/);
    expect(bad({ simulatedSeconds: 7200 })).toMatch(/simulatedSeconds/);
    expect(bad({ procedureShares: {} })).toMatch(/at least one positive share/);
    expect(bad({ nope: 1 })).toMatch(/nope|Unrecognized/i);
    expect(bad({ observedUse: [{ year: "2022", scope: "all-users", exchanges: 1, source: "x" }] })).toMatch(
      /observedUse\.0\.year: expected a fiscal year like FY2022/,
    );
    expect(bad({ observedUse: [{ year: "FY2022", scope: "everyone", exchanges: 1, source: "x" }] })).toMatch(
      /observedUse\.0\.scope/,
    );
    expect(bad({ auditShareOfPlan: 0 })).toMatch(/auditShareOfPlan/);
  });
});

describe("network: block through the scenario loader", () => {
  it("a scenario extending history.yaml with a network block loads with defaults, a bad field is one clear message", async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { fileURLToPath } = await import("node:url");
    const { loadScenario } = await import("./load-scenario.js");
    const dir = mkdtempSync(join(tmpdir(), "net-scn-"));
    copyFileSync(fileURLToPath(new URL("./history.yaml", import.meta.url)), join(dir, "history.yaml"));
    writeFileSync(join(dir, "net.yaml"), "extends: history.yaml\nnetwork:\n  annualExchanges: 640000000\n");
    const loaded = loadScenario(join(dir, "net.yaml"));
    expect(JSON.stringify(loaded)).toContain('"designAnnualExchanges":640000000');
    writeFileSync(
      join(dir, "bad.yaml"),
      "extends: history.yaml\nnetwork:\n  core: { servers: 0, serviceMs: 20 }\n",
    );
    expect(() => loadScenario(join(dir, "bad.yaml"))).toThrowError(/network\.core\.servers/);
  });
});
