/**
 * `sweep` and `validate` with the issue 9 plumbing: a --vary whose values are lists (one YAML list of
 * values) runs and writes them, quoted, to sweep.csv and sweep.json; its errors say --vary; and
 * plausibility warnings appear on stderr naming where they come from, with exit 0, and in the
 * sweep's manifest.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectOneCleanLine, runCli } from "./_test-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-sweep-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("sweep --vary with list values", () => {
  it("runs one point per list item and records each value as written", async () => {
    const out = join(tmp, "lists");
    const o = await runCli([
      "sweep",
      "scenarios/jlis-outage-2016.yaml",
      "--vary",
      "jlis.outages=[[], [{start: 2016-02-22T13:00, end: 2016-02-22T16:30, source: 'a|b'}]]",
      "--set",
      "end=2016-02-29",
      "--set",
      "factory.capacityPerDay[0].value=3300000",
      "--out",
      out,
    ]);
    expect(o.code, o.stderr).toBe(0);
    // The warning from --set: on stderr, naming the override and the field; the run went on.
    expect(o.stderr).toMatch(
      /^warning: --set factory\.capacityPerDay\[0\]\.value: factory\.capacityPerDay\[0\]\.value: 3,300,000 is implausibly high/m,
    );
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^\[\],/);
    expect(csv[2]).toMatch(/^"\[\{start: 2016-02-22T13:00, end: 2016-02-22T16:30, source: 'a\|b'\}\]",/);
    const sweep = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as {
      vary: { key: string; values: string[] }[];
    };
    expect(sweep.vary).toEqual([
      {
        key: "jlis.outages",
        values: ["[]", "[{start: 2016-02-22T13:00, end: 2016-02-22T16:30, source: 'a|b'}]"],
      },
    ]);
    // sweep.md: a | inside a value is escaped, so each row keeps its cells.
    const md = readFileSync(join(out, "sweep.md"), "utf8").split("\n");
    const row = md.find((l) => l.startsWith("| [{start"));
    expect(row).toContain("source: 'a\\|b'}]");
    expect(row!.split(/(?<!\\)\|/)).toHaveLength(
      md.find((l) => l.startsWith("| jlis.outages"))!.split("|").length,
    );
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { warnings: string[] };
    expect(manifest.warnings).toHaveLength(1);
    expect(manifest.warnings[0]).toMatch(/^--set factory\.capacityPerDay\[0\]\.value: /);
  });

  it.concurrent.each([
    ["shipping.days=[1,", /^myna-twin: --vary shipping\.days: the list of values is not valid YAML: /m],
    [
      "shipping.days=[[1,2]]",
      /^myna-twin: --vary shipping\.days: shipping\.days: expected number, received array$/m,
    ],
    [
      "jlis.outages=[]",
      /^myna-twin: --vary jlis\.outages=\[\]: no values; to vary the field to an empty list, write jlis\.outages=\[\[\]\]/m,
    ],
  ])("--vary %s: one line naming --vary", async (arg, re) => {
    const o = await runCli(["sweep", "scenarios/plan-87m.yaml", "--vary", arg, "--out", join(tmp, "never")]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(re);
    expect(o.stderr).not.toMatch(/--set/);
  });
});

describe("validate prints warnings", () => {
  it("on stderr with the field, exit 0, and counts them on stdout", async () => {
    const o = await runCli([
      "validate",
      "scenarios/plan-87m.yaml",
      "--set",
      "counters.staffPerHundredThousand[0].value=60",
    ]);
    expect(o.code).toBe(0);
    expect(o.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^warning: --set counters\.staffPerHundredThousand\[0\]\.value: counters\.staffPerHundredThousand\[0\]\.value: 60 staff per 100,000 residents is implausibly high: it gives 158 hand-overs per 10,000 residents per day/,
      ),
    ]);
    expect(o.stdout).toMatch(/^ok: .*, 1 warning \(on stderr\)$/m);
  });
});
