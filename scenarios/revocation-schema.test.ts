/**
 * The `revocation:` block (issue 11): the shipped mass-revocation scenario validates, and bad blocks
 * get one message naming the file, line and field — never a stack trace, nothing run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenario } from "./load-scenario.js";
import { revocationBlockSchema } from "./revocation-schema.js";

const MASS = fileURLToPath(new URL("./mass-revocation.yaml", import.meta.url));
const HISTORY = fileURLToPath(new URL("./history.yaml", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-revocation-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function messageOf(block: string): string {
  const file = join(dir, `s-${Math.abs(hash(block))}.yaml`);
  writeFileSync(file, `extends: ${HISTORY}\nname: rev-test\nrevocation:\n${block}`);
  try {
    loadScenario(file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  return expect.fail("expected an InputError");
}
function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

describe("scenario mass-revocation", () => {
  it("validates, extends the history and carries the incident", () => {
    const s = loadScenario(MASS);
    const rev = (s.params as { revocation?: unknown }).revocation as Record<string, unknown>;
    expect(s.params.name).toBe("mass-revocation");
    expect(s.params.start).toBe("2016-01-01");
    expect(rev["through"]).toBe("2030-12-31");
    expect(rev["massRevocation"]).toMatchObject({ date: "2025-06-02", cards: 5_000_000, deadlineDays: 150 });
  });
});

describe("bad revocation blocks", () => {
  it("an unknown key names the field", () => {
    expect(messageOf("  partitons: 64\n")).toMatch(/\.yaml:4:3: revocation.partitons: unknown field/);
  });
  it("a share above 1, a date that is not one, a horizon past 2049", () => {
    expect(messageOf("  rates: { lossRatePerYear: 1.5 }\n")).toMatch(/revocation.rates.lossRatePerYear/);
    expect(messageOf("  through: 2030-02-30\n")).toMatch(/revocation.through: expected a date YYYY-MM-DD/);
    expect(messageOf("  through: 2051-01-01\n")).toMatch(
      /revocation.through: expected a date before 2050-01-01/,
    );
  });
  it("sample rates and partition counts out of range", () => {
    expect(messageOf("  sample: { entryRate: 0.5 }\n")).toMatch(/revocation.sample.entryRate.*at most 0.05/);
    expect(messageOf("  sample: { entryRate: 0 }\n")).toMatch(/revocation.sample.entryRate.*above 0/);
    expect(messageOf("  strategies: { partitions: 0 }\n")).toMatch(/revocation.strategies.partitions/);
  });
  it("an incident nobody could ever re-key from, or after the horizon", () => {
    const incident = (extra: string) =>
      `  through: 2030-12-31\n  massRevocation: { date: 2025-06-02, cards: 1000, rekeyShare: 1, arrivalMeanDays: 5, remoteShare: 0.5, remoteFailureRate: 0.1, deadlineDays: 10, ${extra} }\n`;
    expect(messageOf(incident("remoteCapacityPerDay: 0, counterCapacityPerDay: 0"))).toMatch(
      /revocation.massRevocation.counterCapacityPerDay: remote and counter capacities are both 0/,
    );
    expect(messageOf(incident("remoteCapacityPerDay: 1"))).toMatch(
      /revocation.massRevocation.counterCapacityPerDay/,
    );
    const r = revocationBlockSchema.safeParse({
      through: "2026-01-01",
      massRevocation: {
        date: "2027-01-01",
        cards: 1,
        rekeyShare: 1,
        arrivalMeanDays: 1,
        remoteShare: 0,
        remoteCapacityPerDay: 0,
        remoteFailureRate: 0,
        counterCapacityPerDay: 1,
        deadlineDays: 1,
      },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["massRevocation", "date"]);
  });
  it("the removed authAttemptsPerCardPerDay (the attempts come from sim/auth now) is an unknown field", () => {
    const old = `  through: 2030-12-31\n  massRevocation: { date: 2025-06-02, cards: 1000, rekeyShare: 1, arrivalMeanDays: 5, remoteShare: 0.5, remoteFailureRate: 0.1, remoteCapacityPerDay: 1, counterCapacityPerDay: 1, deadlineDays: 10, authAttemptsPerCardPerDay: 0.04 }\n`;
    const m = messageOf(old);
    expect(m).toMatch(/:5:\d+: revocation\.massRevocation\.authAttemptsPerCardPerDay: unknown field/);
    expect(m.split("\n")).toHaveLength(1);
  });
});
