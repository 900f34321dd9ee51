/**
 * The shipped network scenario (issue 12 item 1) end to end: `myna-twin run scenarios/network.yaml`
 * (its issuance part cut to one month, the busiest hour to 30 s, so the test stays short: ≈ 4 CPU-s) writes
 * the usual run directory; summary.json, manifest.json and timeseries.csv parse against the run-output
 * format, the reports carry the network section, and the dashboard's run list shows the run as good.
 * Every shipped scenario's network block has every numeric field labelled.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { scanReports } from "../dashboard/server/scan-reports.js";
import { parseTimeseriesCsv } from "../dashboard/src/data/timeseries-csv.js";
import { validateManifest, validateSummary } from "../dashboard/src/data/validate.js";
import { networkParameterTable } from "../sim/network/network-labels.js";
import { loadScenario } from "./load-scenario.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SCENARIOS = join(ROOT, "scenarios");

describe("scenarios/network.yaml", () => {
  const parent = mkdtempSync(join(tmpdir(), "myna-network-run-"));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));
  const out = join(parent, "network-short");

  it("runs end to end and writes run outputs that the format and the dashboard accept", () => {
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "cli/main.ts",
        "run",
        "scenarios/network.yaml",
        "--set",
        "end=2016-01-31",
        "--set",
        "network.simulatedSeconds=30",
        "--threads",
        "1",
        "--out",
        out,
      ],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^network: /);

    const summary = validateSummary(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
    validateManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")));
    const rows = parseTimeseriesCsv(readFileSync(join(out, "timeseries.csv"), "utf8"));
    expect(rows.n).toBe(31);
    expect(rows.dates.at(-1)).toBe("2016-01-31");
    const n = summary.network!;
    expect(n.designAnnualExchanges).toBe(640e6);
    expect(n.shareOfPlan).toBeCloseTo(190 / 640, 12);
    expect(n.observed.map((o) => `${o.year} ${o.scope}`)).toEqual([
      "FY2017 local-government",
      "FY2018 all-users",
      "FY2022 local-government",
      "FY2022 all-users",
    ]);
    expect(n.costPerExchangeYen.atAuditShare / n.costPerExchangeYen.design).toBeCloseTo(20, 9);
    expect(n.design.completed).toBeGreaterThan(n.actual.completed);
    expect(n.parameters.find((p) => p.path === "network.simulatedSeconds")?.value).toBe(30);

    const md = readFileSync(join(out, "report.md"), "utf8");
    for (const s of [
      "## Information provision network",
      "each exchange costs",
      "| FY2022 | all users | 190,000,000 | 29.7 % |",
      "design, busiest hour",
      "Network parameters by label",
    ])
      expect(md).toContain(s);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("Information provision network");

    const listed = scanReports(parent, "test").runs;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: "network-short",
      status: "ok",
      problem: null,
      scenario: "network",
    });
  }, 60_000);

  it("every shipped scenario's network block has each numeric field labelled", () => {
    let withNetwork = 0;
    for (const f of readdirSync(SCENARIOS).filter((x) => x.endsWith(".yaml"))) {
      const net = loadScenario(join(SCENARIOS, f)).params.network;
      if (!net) continue;
      withNetwork++;
      const { rows, unlabelled } = networkParameterTable(net);
      expect(unlabelled, f).toEqual([]);
      for (const r of rows) {
        if (r.label === "sourced") expect(r.source, `${f} ${r.path}`).toMatch(/FACTS §5\.5/);
        else expect(r.range, `${f} ${r.path}`).not.toBeNull();
      }
    }
    expect(withNetwork).toBeGreaterThanOrEqual(1);
  });
});
