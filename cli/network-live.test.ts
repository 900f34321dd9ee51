/**
 * The README's "information provision hub" walkthrough, every step through the CLI: `network init`
 * → `network enrol` (prints the code) → `serve --pki CA --hub DIR` (port 0) → `network request`
 * (items, verified provider signature, record indices) → the same request outside the whitelist
 * (one line, exit 2, nothing recorded) → `GET /v1/network/head` → SIGTERM (exit 0) → `network retain
 * --now` seven years on (the records' bytes removed, the tree intact). `serve` and the first
 * `request` run as processes; `init`, `enrol`, the refused request and `retain` run the same command
 * code in-process (saves process starts on the shared machine; cli/network-command.test.ts checks
 * the one-line exit-2 path as a process). The CA comes from `initCaDirectory` (the pki walkthrough
 * tests `pki init` itself).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isInputError } from "../engine/errors.js";
import { initCaDirectory } from "../sim/jpki/ca-directory.js";
import { openHub } from "../sim/network/hub/hub.js";
import { verifyTreeHead } from "../sim/portal/tree-head.js";
import { runCli, startServe } from "./_test-cli.js";
import { networkCommand } from "./network-command.js";

/** Runs `myna-twin network …` in-process; returns its status and what it printed. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; error?: Error }> {
  const out: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const note = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    return { code: await networkCommand(args), stdout: out.join("\n") };
  } catch (e) {
    if (!isInputError(e)) throw e;
    return { code: 2, stdout: out.join("\n"), error: e };
  } finally {
    spy.mockRestore();
    note.mockRestore();
  }
}

let scratch: string;
let ca: string;
let hub: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "myna-hub-live-"));
  ca = join(scratch, "ca");
  hub = join(scratch, "hub");
  await initCaDirectory(ca, { partitions: 1, now: Date.now() });
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("network init → enrol → serve --hub → request → retain", () => {
  it("runs the README walkthrough", async () => {
    const init = await inProcess(["init", "--out", hub]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/21 institutions/);
    for (const f of ["core.key", "tree-head.key", "institutions/municipality-0001.key"])
      expect(statSync(join(hub, f)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(hub, "manifest.json"))).toBe(true);

    const enrolled = await inProcess([
      "enrol",
      "--hub",
      hub,
      "--institution",
      "municipality-0001",
      "--my-number",
      "123456789018",
    ]);
    expect(enrolled.code).toBe(0);
    const code = enrolled.stdout.trim();
    expect(code).toMatch(/^[0-9a-f]{64}$/);

    const {
      child,
      url: listening,
      exited,
    } = startServe(["--pki", ca, "--hub", hub, "--port", "0", "--threads", "0", "--log", "off"]);
    try {
      const url = await listening;
      const args = (items: string) => [
        "request",
        "--hub",
        hub,
        "--url",
        url,
        "--as",
        "municipality-0001",
        "--to",
        "japan-pension-service",
        "--procedure",
        "local-tax/assessment",
        "--items",
        items,
        "--code",
        code,
      ];
      const ok = await runCli(["network", ...args("pension/old-age-benefit,pension/disability-benefit")]);
      const refused = await inProcess(args("pension/annual-amount"));
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/municipality-0001 ← japan-pension-service/);
      expect(ok.stdout).toMatch(/pension\/old-age-benefit = \d+ JPY/);
      expect(ok.stdout).toMatch(
        /provider signature: verified; records 0 \(requester\) and 1 \(provider\); tree size 2/,
      );
      expect(refused.code).toBe(2);
      expect(refused.error!.message).toMatch(
        /^network request: the hub refused exchange .*: 403 not_whitelisted: /,
      );
      const head = (await (await fetch(`${url}/v1/network/head`)).json()) as Record<string, unknown>;
      const b = (k: string) => new Uint8Array(Buffer.from(head[k] as string, "base64"));
      expect(head.size).toBe(2);
      expect(
        verifyTreeHead(
          {
            size: 2,
            timestamp: head.timestamp as number,
            rootHash: b("rootHash"),
            signature: b("signature"),
          },
          b("publicKey"),
        ),
      ).toBe(true);
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }

    const retain = await inProcess(["retain", "--hub", hub, "--now", "2040-01-01T00:00:00Z"]);
    expect(retain.code).toBe(0);
    expect(retain.stdout).toMatch(
      /removed 2 record\(s\) provided before 2033-01-01T00:00:00.000Z; leaf hashes kept \(tree size 2/,
    );
    const h = openHub(hub);
    try {
      expect(h.store.size).toBe(2);
      expect(h.store.recordWithProof(0).record).toBeNull();
      expect(h.store.recordWithProof(1).leafHash.length).toBe(32);
    } finally {
      await h.close();
    }
  }, 90_000);
});
