/**
 * `myna-twin serve` as a process (DESIGN.md §5 contract): one `listening on http://HOST:PORT` line,
 * a real verify through it, SIGTERM drains a request that is in flight (it completes) and the
 * process exits 0; --help documents every option; bad flags and an unusable --pki directory give one
 * line and exit 2.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestPki } from "../sim/services/demo-pki.js";
import { makeTestPki } from "../sim/services/demo-pki.js";
import { expectOneCleanLine, runCli, startCli } from "./_test-cli.js";
import { SERVE_HELP, serveCommand } from "./serve-command.js";
import { isInputError } from "../engine/errors.js";

let pki: TestPki;
let scratch: string;

beforeAll(async () => {
  pki = await makeTestPki(1);
  scratch = mkdtempSync(join(tmpdir(), "myna-serve-cli-"));
}, 60_000);

afterAll(() => {
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function post(
  url: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${url}${path}`, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body,
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("myna-twin serve", () => {
  it("prints the listening line, verifies, and on SIGTERM finishes the in-flight request and exits 0", async () => {
    const log = join(scratch, "serve.log");
    const child = startCli(["serve", "--pki", pki.dir, "--port", "0", "--threads", "1", "--log", log]);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on("close", () => reject(new Error(`serve ended early: ${stderr}`)));
    });
    expect(stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);

    const c = await post(url, "/v1/auth/challenge");
    const challenge = new Uint8Array(Buffer.from(c.json.challenge as string, "base64"));
    const a = pki.good[0]!.answer(challenge);
    const body = JSON.stringify({
      challengeId: c.json.challengeId,
      certificate: Buffer.from(a.certificate).toString("base64"),
      signature: Buffer.from(a.signature).toString("base64"),
    });
    // A verify whose body is sent in two parts: in flight when SIGTERM arrives.
    const half = Math.floor(body.length / 2);
    let sendRest!: () => void;
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${url}/v1/auth/verify`,
        {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
        },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, half));
      sendRest = () => req.end(body.slice(half));
    });
    let inFlight = "";
    for (let i = 0; i < 1000 && inFlight !== "1"; i++) {
      const m = await (await fetch(`${url}/metrics`)).text();
      inFlight = /^myna_http_in_flight (\d+)$/m.exec(m)?.[1] ?? "";
    }
    expect(inFlight).toBe("1");
    child.kill("SIGTERM");
    // The drain has begun once /healthz says so (a new connection may already be refused).
    for (let i = 0; i < 1000; i++) {
      const h = await fetch(`${url}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (h !== 200) break;
    }
    sendRest();
    const r = await reply;
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ result: "ok" });
    expect(await exited).toBe(0);
    const lines = readFileSync(log, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["listening", "draining", "stopped"]));
    const drainAt = lines.findIndex((l) => l.msg === "draining");
    const verifyAt = lines.findIndex((l) => l.route === "/v1/auth/verify" && l.status === 200);
    expect(verifyAt).toBeGreaterThan(drainAt);
    expect(stderr).toBe("");
  }, 60_000);

  it("--help documents every option", async () => {
    const printed: string[] = [];
    const log = console.log;
    console.log = (m: string) => void printed.push(m);
    try {
      expect(await serveCommand(["--help"])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(printed).toEqual([SERVE_HELP]);
    const source = readFileSync(new URL("./serve-command.ts", import.meta.url), "utf8");
    const declared = [...source.matchAll(/^\s+"?([a-z-]+)"?: \{ type: "string" \}/gm)].map((m) => m[1]!);
    expect(declared.length).toBeGreaterThanOrEqual(12);
    for (const flag of declared) expect(SERVE_HELP, flag).toContain(`--${flag}`);
  });

  it("bad input is an InputError naming the flag (exit 2 with one line from the CLI)", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const cases: [string[], RegExp][] = [
        [[], /--pki DIR is required/],
        [["--pki", join(scratch, "nowhere")], /--pki .*nowhere: no such directory/],
        [["--pki", scratch], /no auth-root\.der or auth-root\.pem/],
        [["--pki", pki.dir, "--max-inflight", "0"], /--max-inflight: expected a whole number from 1/],
        [["--pki", pki.dir, "--threads", "x"], /--threads: expected a whole number/],
        [
          ["--pki", pki.dir, "--portal-session-ttl-ms", "999"],
          /--portal-session-ttl-ms: expected a whole number from 1000/,
        ],
        [
          ["--pki", pki.dir, "--portal-max-sessions", "0"],
          /--portal-max-sessions: expected a whole number from 1/,
        ],
        [
          ["--pki", pki.dir, "--threads", "0", "--port", String(port)],
          /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/,
        ],
      ];
      for (const [args, message] of cases) {
        const e: unknown = await serveCommand(args).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(isInputError(e), args.join(" ")).toBe(true);
        expect((e as Error).message).toMatch(message);
      }
    } finally {
      busy.close();
    }
    const o = await runCli(["serve", "--pki", join(scratch, "nowhere")]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stdout).toBe("");
  }, 30_000);
});
