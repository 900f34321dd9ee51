/**
 * The `auth:` block: defaults filled in, and each bad field refused with one message naming the
 * file, line and field (through loadScenario on scenarios/auth-peak.yaml with one mutation each).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../engine/errors.js";
import { AUTH_DEFAULTS } from "../sim/auth/params.js";
import { authBlockSchema } from "./auth-schema.js";
import { loadScenario } from "./load-scenario.js";

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const BASE = readFileSync(here("./auth-peak.yaml"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "myna-auth-schema-"));
copyFileSync(here("./history.yaml"), join(dir, "history.yaml"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function errorOf(from: string, to: string): string {
  const text = BASE.replace(from, to);
  expect(text, `mutation ${from} did not apply`).not.toBe(BASE);
  const file = join(dir, `case-${++n}.yaml`);
  writeFileSync(file, text);
  try {
    loadScenario(file);
  } catch (e) {
    expect(isInputError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error("expected the scenario to be refused");
}

describe("auth block schema", () => {
  it("fills every default from AUTH_DEFAULTS", () => {
    expect(authBlockSchema.parse({})).toEqual(AUTH_DEFAULTS);
    const partial = authBlockSchema.parse({
      network: { platform: { servers: 8, timeoutMs: 500, maxRetries: 1, backoffMs: 10 } },
    });
    expect(partial.network.platform.servers).toBe(8);
    expect(partial.network.jlis).toEqual(AUTH_DEFAULTS.network.jlis);
  });

  it("auth-peak.yaml loads with its auth block", () => {
    const file = join(dir, "auth-peak.yaml");
    writeFileSync(file, BASE);
    const p = loadScenario(file).params;
    expect(p.auth?.peakYear).toBe(2025);
    expect(p.auth?.validationDays).toEqual(["2025-03-14"]);
  });

  it.each([
    [
      "servers: 2, timeoutMs: 2000",
      "servers: 0, timeoutMs: 2000",
      /case-\d+\.yaml:\d+:\d+.*auth\.network\.platform\.servers/,
    ],
    ["onlineShare: 0.5", "onlineShare: 1.5", /auth\.network\.onlineShare/],
    ["onlineShare: 0.5", "onlineShare: 0.5\n    extra: 1", /auth\.network.*extra/],
    ["validationDays: [2025-03-14]", "validationDays: [2025-02-30]", /auth\.validationDays\[0\].*YYYY-MM-DD/],
    ["p99GoalMs: 200", "p99GoalMs: -5", /auth\.p99GoalMs/],
    [
      "p99GoalMs: 200",
      "p99GoalMs: 200\n  serviceTimes: { platformMs: [1, 2], crlLookupMs: [1], jlisMs: [1] }",
      /auth\.serviceTimes\.platformMs.*21 quantiles/,
    ],
  ])("refuses %s → %s", (from, to, message) => {
    const m = errorOf(from, to);
    expect(m).toMatch(message);
    expect(m.split("\n")[0]).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
