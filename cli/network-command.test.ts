/**
 * `myna-twin network` bad input: each is a typed InputError (main prints it as one line, exit 2)
 * and nothing changed — a taken --out, an out-of-range --per-kind, a directory that is not a hub, an unknown
 * institution, a My Number with a wrong check digit, a missing flag, an unknown subcommand, an
 * unreachable hub URL, a malformed --now. Two of them run as processes to check the printed line
 * and the exit status; the rest run the command code in-process (process starts are costly on the
 * shared machine). And a hub another process has open: refused (exit 3), nothing written.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initHubDirectory } from "../sim/network/hub/hub-directory.js";
import { isInputError, isOutputError } from "../engine/errors.js";
import { openHub } from "../sim/network/hub/hub.js";
import { expectOneCleanLine, runCli } from "./_test-cli.js";
import { networkCommand } from "./network-command.js";

let scratch: string;
let hub: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "myna-network-cli-"));
  hub = join(scratch, "hub");
  initHubDirectory(hub, { perKind: 1, now: Date.now() });
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function snapshot(): string {
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? files(join(d, e.name))
        : [`${join(d, e.name)}:${readFileSync(join(d, e.name)).toString("base64")}`],
    );
  return files(hub).sort().join("\n");
}

describe("myna-twin network: bad input", () => {
  it("one line, exit 2, the hub unchanged", async () => {
    const before = snapshot();
    const cases: [string[], RegExp][] = [
      [["network", "init", "--out", hub], /exists and is not empty/],
      [
        ["network", "init", "--out", join(scratch, "x"), "--per-kind", "0"],
        /--per-kind: expected a whole number from 1 to 50/,
      ],
      [
        [
          "network",
          "enrol",
          "--hub",
          scratch,
          "--institution",
          "municipality-0001",
          "--my-number",
          "123456789018",
        ],
        /no manifest.json/,
      ],
      [
        [
          "network",
          "enrol",
          "--hub",
          hub,
          "--institution",
          "municipality-9999",
          "--my-number",
          "123456789018",
        ],
        /unknown institution "municipality-9999"/,
      ],
      [
        [
          "network",
          "enrol",
          "--hub",
          hub,
          "--institution",
          "municipality-0001",
          "--my-number",
          "123456789019",
        ],
        /--my-number: expected 12 digits/,
      ],
      [["network", "enrol", "--hub", hub, "--institution", "municipality-0001"], /--my-number is required/],
      [["network", "frobnicate"], /unknown subcommand "frobnicate"/],
      [
        [
          "network",
          "request",
          "--hub",
          hub,
          "--url",
          "http://127.0.0.1:1",
          "--as",
          "municipality-0001",
          "--to",
          "japan-pension-service",
          "--procedure",
          "p",
          "--items",
          "a",
          "--code",
          "ab".repeat(32),
        ],
        /cannot reach http:\/\/127\.0\.0\.1:1/,
      ],
      [["network", "retain", "--hub", hub, "--now", "yesterday"], /--now: expected an ISO-8601 time/],
    ];
    for (const [args, message] of cases) {
      const e = await networkCommand(args.slice(1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isInputError(e), `${args.join(" ")}: ${String(e)}`).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
    const asProcesses = await Promise.all([cases[3]!, cases[8]!].map(([args]) => runCli(args)));
    asProcesses.forEach((o, i) => {
      expect(o.code, o.stderr).toBe(2);
      expectOneCleanLine(o);
      expect(o.stderr).toMatch([cases[3]!, cases[8]!][i]![1]);
    });
    expect(snapshot()).toBe(before);
  }, 60_000);
});

describe("myna-twin network: a hub another process has open", () => {
  it("is refused — one line naming the holder, exit 3 — and left unchanged", async () => {
    const open = openHub(hub, { holder: "myna-twin serve --hub (test)" });
    try {
      const before = snapshot();
      const retain = await runCli(["network", "retain", "--hub", hub]);
      expect(retain.code, retain.stderr).toBe(3);
      expectOneCleanLine(retain);
      expect(retain.stderr).toContain(`in use by process ${process.pid}`);
      expect(retain.stderr).toContain("myna-twin serve --hub (test)");
      const enrol = await networkCommand([
        "enrol",
        "--hub",
        hub,
        "--institution",
        "municipality-0001",
        "--my-number",
        "123456789018",
      ]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isOutputError(enrol) && enrol.code).toBe("E_DIR_LOCKED");
      expect(snapshot()).toBe(before);
    } finally {
      await open.close();
    }
    // closed: the next opener gets it
    await openHub(hub).close();
  }, 60_000);
});
