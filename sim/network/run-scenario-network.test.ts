/**
 * The network model inside a scenario run: a `network:` block gives summary.json a `network`
 * section that parses against the run format; without the block there is none.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { IssuanceParams } from "../issuance/params.js";
import { runScenario } from "../issuance/run-scenario.js";
import { RunSummarySchema } from "../run-format/summary.js";
import { NETWORK_DEFAULTS } from "./params.js";
import { parameterTable } from "../issuance/parameter-labels.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function shortHistory(): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  p.end = "2016-01-31";
  p.target = { cards: 87_000_000, date: "2016-01-15" };
  delete p.auth;
  return p;
}

const options = {
  seed: 12,
  replications: 1,
  threads: 1,
  dataDir: join(ROOT, "data"),
  command: "myna-twin run test",
  runId: "test-run",
  versions: { "myna-twin": "test" },
};

describe("runScenario with a network: block", () => {
  it("adds a schema-valid network section to summary.json, and none without the block", async () => {
    const params = { ...shortHistory(), network: { ...NETWORK_DEFAULTS, simulatedSeconds: 20 } };
    const run = await runScenario(params, options);
    const summary = RunSummarySchema.parse(JSON.parse(run.files["summary.json"]!));
    expect(summary.network?.designAnnualExchanges).toBe(640e6);
    expect(summary.network?.actual.completed).toBeGreaterThan(0);
    expect(run.files["report.md"]).toContain("## Information provision network");
    const without = await runScenario(shortHistory(), options);
    expect(JSON.parse(without.files["summary.json"]!).network).toBeUndefined();
    expect(without.files["report.md"]).not.toContain("Information provision network");
  }, 60_000);

  it("the network block's numbers are not issuance parameters: no unlabelled network.* rows", () => {
    const t = parameterTable({ ...shortHistory(), network: NETWORK_DEFAULTS });
    expect(t.rows.filter((r) => r.path.startsWith("network."))).toEqual([]);
    expect(t.unlabelled.filter((p) => p.startsWith("network."))).toEqual([]);
  });
});
