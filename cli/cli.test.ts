/**
 * The `myna-twin` command as a user meets it: a child process (`node --import tsx cli/main.ts …`
 * from the project root), its exit code, stdout, stderr and the files it leaves behind.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRunDirectory } from "../engine/run-output/run-claim.js";
import { expectOneCleanLine, ROOT, runCli, startCli, type Outcome } from "./_test-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-cli-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI with `args`; resolves with its exit code and output (never rejects on exit ≠ 0). */
function cli(...args: string[]): Promise<Outcome> {
  return runCli(args);
}

const partials = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith(".partial-"));

const SCENARIOS = readdirSync(join(ROOT, "scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("myna-twin help and usage errors", () => {
  it.concurrent.each([[["--help"]], [["run", "--help"]], [["sweep", "--help"]], [["validate", "-h"]]])(
    "%j exits 0 and prints usage",
    async (args) => {
      const o = await cli(...args);
      expect(o.code).toBe(0);
      expect(o.stdout).toMatch(/Usage: myna-twin/);
      expect(o.stderr).toBe("");
    },
  );

  it.concurrent("an unknown command exits 2", async () => {
    const o = await cli("frobnicate");
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^myna-twin: unknown command "frobnicate"/);
    expect(o.stderr).not.toMatch(/^\s+at /m);
  });

  it.concurrent.each([
    [
      ["run", "scenarios/history.yaml", "--seed", "abc"],
      /--seed: expected a whole number from 0 to 2\^53-1, got "abc"/,
    ],
    // issue 7: this said "argument is ambiguous"
    [
      ["run", "scenarios/history.yaml", "--replications", "-1"],
      /^myna-twin: --replications: expected a whole number from 1 to 1000, got -1$/m,
    ],
    [
      ["run", "scenarios/history.yaml", "--out", "-x"],
      /run: --out: the value "-x" starts with a dash; write --out=-x if you mean it/,
    ],
    // issue 7: prototype pollution from the command line
    [
      ["validate", "scenarios/history.yaml", "--set", "__proto__.toString=1"],
      /^myna-twin: --set __proto__\.toString: "__proto__" is not allowed in a key/m,
    ],
    [
      ["sweep", "scenarios/history.yaml", "--vary", "__proto__.polluted=1,2"],
      /^myna-twin: --vary __proto__\.polluted: "__proto__" is not allowed in a key/m,
    ],
    [
      ["validate", "scenarios/history.yaml", "--set", "demand.channels.length=4294967295"],
      /demand\.channels is a list; expected an index like \[0\], not \.length/,
    ],
    // issue 7: the empty value was dropped silently
    [
      ["sweep", "scenarios/history.yaml", "--vary", "shipping.days=1,,2"],
      /^myna-twin: --vary shipping\.days=1,,2: value 2 of 3 is empty; expected key=a,b,c with no empty values$/m,
    ],
    [
      ["run", "scenarios/history.yaml", "--out", ""],
      /^myna-twin: --out: expected a directory path, got an empty string$/m,
    ],
    [
      [
        "sweep",
        "scenarios/history.yaml",
        "--vary",
        `shipping.days=${Array.from({ length: 1001 }, (_, i) => i).join(",")}`,
      ],
      /^myna-twin: sweep: the --vary grid has 1,001 points; the limit is 1,000$/m,
    ],
    [
      ["run", "scenarios/history.yaml", "--threads", "0"],
      /--threads: expected a whole number from 1 to 256, got 0/,
    ],
    [["run", "scenarios/history.yaml", "--frobnicate"], /run: Unknown option '--frobnicate'/],
  ] as [string[], RegExp][])(
    "bad flags %j exit 2 with one line on stderr and no stack trace",
    async (args, message) => {
      const o = await cli(...args);
      expect(o.code).toBe(2);
      expectOneCleanLine(o);
      expect(o.stderr).toMatch(message);
      expect(o.stdout).toBe("");
    },
  );

  it.concurrent("a bad scenario exits 2 and creates no run directory", async () => {
    const bad = join(tmp, "bad.yaml");
    const text = readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8").replace(
      "shipping: { days: 4 }",
      "shipping: { days: -4 }",
    );
    writeFileSync(bad, text);
    const parent = join(tmp, "bad-runs");
    mkdirSync(parent);
    const out = join(parent, "r");
    const o = await cli("run", bad, "--out", out);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toContain(`${bad}:`);
    expect(o.stderr).toContain("shipping.days");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it.concurrent("a flag value starting with a dash (`--seed -1`) gets one line on stderr", async () => {
    const o = await cli("run", "scenarios/history.yaml", "--seed", "-1");
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
  });

  it("there are scenario files to validate", () => {
    expect(SCENARIOS).toContain("history.yaml");
  });

  it.concurrent.each(SCENARIOS)("validate scenarios/%s exits 0", async (file) => {
    const o = await cli("validate", join("scenarios", file));
    expect(o.stderr).toBe("");
    expect(o.code).toBe(0);
    expect(o.stdout).toMatch(/^ok: /);
  });
});

describe("myna-twin run (2016-01-01 … 2016-06-30)", () => {
  const parent = join(tmp, "runs");
  const out = join(parent, "r");
  let o: Outcome;
  beforeAll(async () => {
    mkdirSync(parent, { recursive: true });
    o = await cli("run", "scenarios/history.yaml", "--set", "end=2016-06-30", "--out", out);
  });

  it("exits 0 and prints the headline", () => {
    expect(o.stderr).toBe("");
    expect(o.code).toBe(0);
    expect(o.stdout).toMatch(/^history: 87,000,000 cards (NOT )?reached/);
    expect(o.stdout).toMatch(/Binding constraint: /);
    expect(o.stdout).toContain(join(out, "report.html"));
  });

  it("writes the run directory: manifest, summary, one timeseries row per day, both reports", () => {
    const files = readdirSync(out);
    for (const f of ["manifest.json", "summary.json", "timeseries.csv", "report.md", "report.html"]) {
      expect(files).toContain(f);
    }
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Record<string, unknown>;
    expect(manifest["seed"]).toBe(1);
    expect(manifest["simulatedDays"]).toBe(182);
    expect(manifest["overrides"]).toEqual(["end=2016-06-30"]);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
      period: { start: string; end: string };
    };
    expect(summary.period).toEqual({ start: "2016-01-01", end: "2016-06-30" });
    const rows = readFileSync(join(out, "timeseries.csv"), "utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(182 + 1);
    expect(rows[1]).toMatch(/^2016-01-01,/);
    expect(rows.at(-1)).toMatch(/^2016-06-30,/);
    expect(readFileSync(join(out, "report.html"), "utf8")).toMatch(/<html/i);
    expect(readFileSync(join(out, "report.md"), "utf8").length).toBeGreaterThan(100);
  });

  it("leaves no .partial-* directory", () => {
    expect(partials(parent)).toEqual([]);
    expect(readdirSync(parent)).toEqual(["r"]);
  });

  it("refuses to write into the now non-empty directory (exit 2) and leaves it untouched", async () => {
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    const again = await cli("run", "scenarios/history.yaml", "--set", "end=2016-01-31", "--out", out);
    expect(again.code).toBe(2);
    expectOneCleanLine(again);
    expect(again.stderr).toContain("not empty");
    const after = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    expect(after).toEqual(before);
    expect(partials(parent)).toEqual([]);
  });
});

describe("myna-twin run: the output location is checked and claimed before simulating (issue 7)", () => {
  it.concurrent.each([
    [
      "a path through a regular file",
      (d: string) => {
        writeFileSync(join(d, "file"), "x");
        return join(d, "file", "run");
      },
      / exists and is not a directory$/m,
    ],
    [
      "a dangling symbolic link",
      (d: string) => {
        symlinkSync(join(d, "nowhere"), join(d, "link"));
        return join(d, "link");
      },
      / is a dangling symbolic link \(to .*nowhere, which does not exist\)$/m,
    ],
    [
      "a directory under /proc (fails for root too)",
      () => "/proc/no-such-dir/run",
      /cannot create directory \/proc\/no-such-dir: no such file or directory \(ENOENT\)$/m,
    ],
  ] as [string, (d: string) => string, RegExp][])(
    "%s: exit 3, one line, nothing run",
    async (_, make, message) => {
      const d = mkdtempSync(join(tmp, "out-"));
      const out = make(d);
      const o = await cli("run", "scenarios/history.yaml", "--out", out);
      expect(o.code).toBe(3);
      expectOneCleanLine(o);
      expect(o.stderr).toMatch(message);
      expect(o.stdout).toBe("");
    },
  );

  it.concurrent(
    "a directory another run has claimed: exit 2 at once, the claim and its files untouched",
    async () => {
      const out = join(mkdtempSync(join(tmp, "claimed-")), "r");
      const claim = claimRunDirectory(out);
      const before = readdirSync(out).sort();
      // The full history scenario would take minutes to simulate: the refusal comes first.
      const o = await cli("run", "scenarios/history.yaml", "--out", out);
      expect(o.code).toBe(2);
      expectOneCleanLine(o);
      expect(o.stderr).toContain(`--out ${out}: already claimed by run pid ${process.pid}`);
      expect(o.stdout).toBe("");
      expect(readdirSync(out).sort()).toEqual(before);
      claim.commit({ "manifest.json": "{}" });
      expect(readdirSync(out)).toEqual(["manifest.json"]);
    },
  );

  it("Ctrl-C during a run leaves nothing that looks complete; a rerun into it says it was interrupted", async () => {
    const out = join(mkdtempSync(join(tmp, "sigint-")), "r");
    const child = startCli(["run", "scenarios/history.yaml", "--threads", "1", "--out", out]);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, string | null]>((r) => child.on("exit", (c, s) => r([c, s])));
    let gone = false;
    void exited.then(() => (gone = true));
    // The claim exists once the scenario is loaded and before anything is simulated.
    while (!gone && !existsSync(join(out, ".claim"))) await new Promise((r) => setTimeout(r, 50));
    expect(gone, stderr).toBe(false);
    child.kill("SIGINT");
    const [code, signal] = await exited;
    expect(signal === "SIGINT" || code === 130, `${code} ${signal}`).toBe(true);
    expect(readdirSync(out)).not.toContain("manifest.json");
    const again = await cli("run", "scenarios/history.yaml", "--out", out);
    expect(again.code).toBe(2);
    expectOneCleanLine(again);
    expect(again.stderr).toMatch(
      /claimed by run pid \d+ .*, which is no longer running \(interrupted\); remove /,
    );
  });

  it("two runs started together into one --out: exactly one writes it, the other exits 2", async () => {
    const out = join(mkdtempSync(join(tmp, "race-")), "r");
    const args = (seed: string): string[] => [
      "run",
      "scenarios/history.yaml",
      "--set",
      "end=2016-01-31",
      "--threads",
      "1",
      "--seed",
      seed,
      "--out",
      out,
    ];
    const [a, b] = await Promise.all([cli(...args("1")), cli(...args("2"))]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const [winner, loser, seed] = a.code === 0 ? [a, b, 1] : [b, a, 2];
    expect(winner.stdout).toContain("Report: ");
    expectOneCleanLine(loser);
    expect(loser.stdout).toBe("");
    expect(loser.stderr).toMatch(/already claimed by run pid \d+|exists and is not empty/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { seed: number };
    expect(manifest.seed).toBe(seed);
    for (const f of ["summary.json", "timeseries.csv", "report.html", "report.md"])
      expect(readdirSync(out)).toContain(f);
    expect(readdirSync(out).filter((f) => f.startsWith("."))).toEqual([]);
  });
});

describe("myna-twin sweep", () => {
  it("runs a 2-point grid and writes sweep.csv with 2 rows", async () => {
    const out = join(tmp, "sweeps", "s");
    const o = await cli(
      "sweep",
      "scenarios/history.yaml",
      "--vary",
      "factory.capacityPerDay[0].value=100000,140000",
      "--set",
      "end=2016-03-31",
      "--out",
      out,
    );
    expect(o.code).toBe(0);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(1 + 2);
    expect(csv[0]).toMatch(/^factory\.capacityPerDay\[0\]\.value,/);
    expect(csv[1]).toMatch(/^100000,/);
    expect(csv[2]).toMatch(/^140000,/);
    expect(readdirSync(out)).toContain("manifest.json");
    expect(partials(join(tmp, "sweeps"))).toEqual([]);
  });
});
