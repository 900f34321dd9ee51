/**
 * `myna-twin card apdu` as a user meets it: a child process (`node --import tsx cli/main.ts …`) fed
 * APDUs on stdin. The worked authentication transcript of docs/jpki.md is extracted from the page and
 * run as written (bash, in a temp directory), and its signature is checked with the `openssl` CLI;
 * then PIN lockout persisted across invocations (with and without --save: no free tries), the
 * issue-7 regressions (kill -9 / SIGTERM after wrong VERIFYs, two concurrent sessions, a copied-back
 * card file, a missing directory for --new, 30 February, an over-long line), malformed hex lines,
 * malformed APDUs, --help and a bad passphrase.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InputError } from "../engine/errors.js";
import { cardCommand } from "./card-command.js";
import { expectOneCleanLine, ROOT, runCli, type Outcome } from "./_test-cli.js";

const TSX = createRequire(join(ROOT, "package.json")).resolve("tsx");
const tmp = mkdtempSync(join(tmpdir(), "myna-card-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// lock files and generation records go beside each card file, whatever the caller's environment
delete process.env.MYNA_CARD_STATE_DIR;

const PASSPHRASE = "test passphrase";
const SELECT_JPKI = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
const SELECT_AUTH_PIN = "00 A4 02 0C 02 00 18";

/** Runs the CLI with `args` and `input` on stdin; never rejects on a non-zero exit. */
function cli(args: string[], input = "", env: Record<string, string> = {}): Promise<Outcome> {
  return runCli(args, { input, env: { MYNA_CARD_PASSPHRASE: PASSPHRASE, ...env } });
}

const lines = (s: string): string[] => s.trimEnd().split("\n");

/** VERIFY of the PIN EF selected (P2 80), with `v` as ASCII. */
const pin = (v: string) =>
  `00 20 00 80 ${v.length.toString(16).padStart(2, "0").toUpperCase()} ${Buffer.from(v)
    .toString("hex")
    .toUpperCase()
    .replace(/(..)(?!$)/g, "$1 ")}`;
const authSession = (...cmds: string[]) => [SELECT_JPKI, SELECT_AUTH_PIN, ...cmds].join("\n");
const SELECT_SIGN_PIN = "00 A4 02 0C 02 00 1B";

/**
 * A CLI session kept open: APDUs are written one at a time and their answers awaited, so a test can
 * act (kill it, start a rival) while it holds the card.
 */
class LiveSession {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters: (() => void)[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", MYNA_CARD_PASSPHRASE: PASSPHRASE },
    });
    this.child.stdout.on("data", (d: Buffer) => {
      this.stdout += d.toString();
      for (const w of this.#waiters.splice(0)) w();
    });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    void this.exited.then(() => {
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Send lines and wait until `answers` more response lines have arrived. */
  async send(commands: string[], answers = commands.length): Promise<string[]> {
    const have = this.stdout === "" ? 0 : lines(this.stdout).length;
    this.child.stdin.write(`${commands.join("\n")}\n`);
    while ((this.stdout === "" ? 0 : lines(this.stdout).length) < have + answers) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`session ended early: ${this.stderr}`);
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    return lines(this.stdout).slice(have);
  }
}

/** A card with known PINs (auth 1234, signature password MYNA2026), copied into a directory of its own per test. */
let pinned = "";
function cardInOwnDir(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const file = join(dir, "c.card");
  copyFileSync(pinned, file);
  return file;
}

/** The fenced ```sh block between `<!-- name:begin -->` and `<!-- name:end -->` in docs/jpki.md. */
function docBlock(name: string): string {
  const doc = readFileSync(join(ROOT, "docs", "jpki.md"), "utf8");
  const m = new RegExp(
    `<!-- ${name}:begin -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`,
  ).exec(doc);
  if (!m) throw new Error(`docs/jpki.md has no ${name} block`);
  return m[1]!;
}

describe("the worked authentication transcript of docs/jpki.md", () => {
  it("runs as written, and OpenSSL verifies the certificate chain and the card's signature", () => {
    const dir = mkdtempSync(join(tmp, "doc-"));
    const hasXxd = spawnSync("sh", ["-c", "command -v xxd"]).status === 0;
    const prelude = [
      "set -euo pipefail",
      `myna-twin() { node --import ${JSON.stringify(TSX)} ${JSON.stringify(join(ROOT, "cli", "main.ts"))} "$@"; }`,
      // a clean machine may lack xxd; the page names this perl equivalent of `xxd -r -p`
      hasXxd ? "" : `xxd() { perl -e 'local $/; $_ = <STDIN>; s/\\s//g; print pack "H*", $_'; }`,
    ].join("\n");
    const script = `${prelude}\n${docBlock("transcript")}\n${docBlock("check")}`;
    const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("Verified OK");
    expect(r.stdout).toContain("Signature Verified Successfully");
    expect(r.stdout).toContain("auth-cert.pem: OK");
    expect(r.stdout).toMatch(/issuer=C = JP, O = JPKI, OU = JPKI for user authentication/);
    expect(r.stderr).toContain("new card for");

    const out = lines(readFileSync(join(dir, "auth.out"), "utf8"));
    expect(out).toHaveLength(13);
    expect(out[0]).toBe("90 00");
    expect(out[2]).toMatch(/^30 82 [0-9A-F]{2} [0-9A-F]{2} 90 00$/);
    const [hi, lo] = out[2]!
      .split(" ")
      .slice(2, 4)
      .map((h) => parseInt(h, 16));
    const certLength = hi! * 256 + lo! + 4;
    const chunks = out.slice(3, 8).map((l) => l.split(" ").length - 2);
    expect(chunks.slice(0, 4)).toEqual([256, 256, 256, 256]);
    expect(4 + chunks.reduce((a, b) => a + b, 0)).toBe(certLength);
    expect(out.slice(8, 12)).toEqual(["90 00", "63 C3", "90 00", "90 00"]);
    expect(out[12]!.split(" ")).toHaveLength(258);
    expect(out[12]).toMatch(/ 90 00$/);
    // the certificate the card hands out is the one saved beside the card file
    const saved = spawnSync("openssl", ["x509", "-in", "demo.auth-cert.pem", "-outform", "DER"], {
      cwd: dir,
    });
    expect(Buffer.compare(saved.stdout, readFileSync(join(dir, "auth-cert.der")))).toBe(0);
  });
});

describe("card apdu sessions", () => {
  const shared = join(tmp, "shared.card");
  beforeAll(async () => {
    pinned = join(tmp, "pinned.card");
    const [o, p] = await Promise.all([
      cli(["card", "apdu", "--new", shared, "--seed", "3"]),
      cli(["card", "apdu", "--new", pinned, "--auth-pin", "1234", "--sign-password", "MYNA2026"]),
    ]);
    expect(p.code, p.stderr).toBe(0);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toBe("");
    // generated PINs are shown once, on stderr
    expect(o.stderr).toMatch(
      /generated auth PIN \d{4}, signature password [A-Z0-9]{8}, card-input-support PIN \d{4}/,
    );
  });

  it.concurrent(
    "wrong PINs: 63C2, 63C1 in one session, 63C0, 6984 in the next — persisted with or without --save (no free tries)",
    async () => {
      const file = join(tmp, "lockout.card");
      const run = async (args: string[], input: string, expected: string[]) => {
        const o = await cli(["card", "apdu", ...args], input);
        expect(o.code, o.stderr).toBe(0);
        expect(lines(o.stdout)).toEqual(["90 00", "90 00", ...expected]);
      };
      await run(["--new", file, "--auth-pin", "1234"], authSession(pin("0000"), pin("9999")), [
        "63 C2",
        "63 C1",
      ]);
      // without --save the try is spent all the same: a real card always counts
      await run(["--card", file], authSession(pin("0000"), "00 20 00 80"), ["63 C0", "63 C0"]);
      await run(["--card", file, "--save"], authSession("00 20 00 80", pin("1234")), ["63 C0", "69 84"]);
      // a script cannot find the PIN by starting a new session after every two guesses
      await run(["--card", file], authSession(pin("1234")), ["69 84"]);
    },
  );

  it("kill -9 (and SIGTERM) after two wrong VERIFYs: the next session sees the tries spent", async () => {
    const file = cardInOwnDir("killed");
    const a = new LiveSession(["card", "apdu", "--card", file]);
    expect(await a.send([SELECT_JPKI, SELECT_AUTH_PIN, pin("0000"), pin("9999")])).toEqual([
      "90 00",
      "90 00",
      "63 C2",
      "63 C1",
    ]);
    a.child.kill("SIGKILL");
    expect(await a.exited).toMatchObject({ signal: "SIGKILL" });
    // its lock is left behind with a dead pid: the next session takes the card
    const b = await cli(["card", "apdu", "--card", file], authSession("00 20 00 80"));
    expect(b.code, b.stderr).toBe(0);
    expect(lines(b.stdout)).toEqual(["90 00", "90 00", "63 C1"]);

    const c = new LiveSession(["card", "apdu", "--card", file]);
    expect(await c.send([SELECT_JPKI, SELECT_AUTH_PIN, pin("0000")])).toEqual(["90 00", "90 00", "63 C0"]);
    c.child.kill("SIGTERM");
    expect((await c.exited).code).toBe(143);
    const d = await cli(["card", "apdu", "--card", file], authSession(pin("1234")));
    expect(lines(d.stdout)).toEqual(["90 00", "90 00", "69 84"]);
  });

  it("two concurrent sessions on one card: the second is refused while the first holds it, then counts on", async () => {
    const file = cardInOwnDir("concurrent");
    const a = new LiveSession(["card", "apdu", "--card", file, "--save"]);
    expect(await a.send([SELECT_JPKI, SELECT_SIGN_PIN, pin("WRONG1"), pin("WRONG2")])).toEqual([
      "90 00",
      "90 00",
      "63 C4",
      "63 C3",
    ]);
    const signSession = [SELECT_JPKI, SELECT_SIGN_PIN, pin("WRONG3"), pin("WRONG4")].join("\n");
    const refused = await cli(["card", "apdu", "--card", file, "--save"], signSession);
    expect(refused.code).toBe(2);
    expectOneCleanLine(refused);
    expect(refused.stderr).toMatch(/c\.card: the card is in use by another session \(pid \d+/);
    expect(refused.stdout).toBe("");
    a.child.stdin.end();
    expect((await a.exited).code).toBe(0);
    const b = await cli(["card", "apdu", "--card", file, "--save"], signSession);
    expect(b.code, b.stderr).toBe(0);
    // 4 tries spent in all: 5 → 1
    expect(lines(b.stdout)).toEqual(["90 00", "90 00", "63 C2", "63 C1"]);
  });

  it.concurrent(
    "a card file copied back (rollback) is refused: exit 2, one line, nothing answered",
    async () => {
      const file = cardInOwnDir("rollback");
      const old = readFileSync(file);
      const spent = await cli(["card", "apdu", "--card", file], authSession(pin("0000")));
      expect(lines(spent.stdout)).toEqual(["90 00", "90 00", "63 C2"]);
      writeFileSync(file, old);
      const o = await cli(["card", "apdu", "--card", file], authSession(pin("1234")));
      expect(o.code).toBe(2);
      expectOneCleanLine(o);
      expect(o.stderr).toMatch(
        /old copy of card [0-9a-f]{32}: its generation is 1, but generation 2 was already seen/,
      );
      expect(o.stdout).toBe("");
    },
  );

  it.concurrent(
    "an over-long line (limit + 1 bytes) and a long non-hex line are not echoed back; the session goes on",
    async () => {
      const file = cardInOwnDir("long-line");
      const input = ["Z".repeat(65_537), SELECT_JPKI, "Q".repeat(60_000), "00 20 00 80"].join("\n");
      const o = await cli(["card", "apdu", "--card", file], input);
      expect(o.code).toBe(2);
      expect(lines(o.stdout)).toEqual(["90 00", "69 85"]); // VERIFY with no PIN EF selected
      const err = lines(o.stderr);
      expect(err).toHaveLength(3);
      expect(err[0]).toMatch(
        /^myna-twin: card apdu: line 1: 65537 bytes, longer than the 65536 a line may hold .*it starts "Z{16}"…; skipped/,
      );
      expect(err[1]).toMatch(
        /^myna-twin: card apdu: line 3: hex text contains a character other than 0-9, A-F/,
      );
      expect(err[1]).toContain("(60000 characters)");
      expect(o.stderr.length).toBeLessThan(800);
    },
  );

  it.concurrent("--new in a missing directory: one line, exit 2, nothing created", async () => {
    const o = await cli(["card", "apdu", "--new", join(tmp, "no-such-dir", "x.card")], SELECT_JPKI);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(
      /--new .*x\.card: the directory .*no-such-dir does not exist \(ENOENT\); create it first/,
    );
    expect(existsSync(join(tmp, "no-such-dir"))).toBe(false);
  });

  it.concurrent(
    "malformed hex lines are reported with their line numbers and skipped, malformed APDUs get status words; exit 2",
    async () => {
      const input = [
        "# comment line",
        "00", // shorter than a header
        "FF 00 00 00", // unknown class
        "",
        "00 A4 02 0C 0Z 00 18", // line 5: not hex
        "00 FF 00 00", // unknown instruction
        "00 A4 04 0C 0A D3 92", // Lc disagrees with the data
        "00 A4 02 0C 02 00 1", // line 8: odd number of digits
        SELECT_JPKI,
        "00 A4 02 0C 02 12 34", // no such EF
        "80 2A 00 80 02 01 02 00", // sign without a key EF selected
        "0C A4 04 0C 00", // secure messaging
        "00".repeat(300), // longer than any short APDU
        SELECT_JPKI,
        "00:A4:02:0C:02:00:18   # colons are fine",
        "00 20 00 80",
      ].join("\n");
      const o = await cli(["card", "apdu", "--card", shared], input);
      expect(o.code).toBe(2);
      expect(lines(o.stdout)).toEqual([
        "67 00",
        "6E 00",
        "6D 00",
        "67 00",
        "90 00",
        "6A 82",
        "69 85",
        "68 82",
        "67 00",
        "90 00",
        "90 00",
        "63 C3",
      ]);
      const err = lines(o.stderr);
      expect(err).toHaveLength(3);
      expect(err[0]).toMatch(
        /^myna-twin: card apdu: line 5: hex text contains a character other than 0-9, A-F/,
      );
      expect(err[1]).toMatch(/^myna-twin: card apdu: line 8: hex text has an odd number of digits/);
      expect(err[2]).toBe("myna-twin: card apdu: 2 malformed lines skipped");
      expect(o.stderr).not.toMatch(/^\s+at /m);
    },
  );

  it.concurrent(
    "a bad passphrase: exit 2, one line, no stack trace; the top-level help lists card and pki",
    async () => {
      const [bad, top] = await Promise.all([
        cli(["card", "apdu", "--card", shared, "--passphrase", "not it"], SELECT_JPKI),
        cli(["--help"]),
      ]);
      expect(bad.code).toBe(2);
      expectOneCleanLine(bad);
      expect(bad.stderr).toContain("wrong passphrase");
      expect(bad.stdout).toBe("");
      expect(top.code).toBe(0);
      expect(top.stdout).toContain("card apdu");
      expect(top.stdout).toContain("pki export");
    },
  );

  it("other bad input is an InputError before any key is generated or file written (in process)", async () => {
    const pp = ["--passphrase", "x"];
    const cases: [string[], RegExp][] = [
      [["apdu", "--card", join(tmp, "missing.card"), ...pp], /cannot read it \(ENOENT\)/],
      [["apdu", "--new", shared, ...pp], /the file exists/],
      [["apdu", ...pp], /exactly one of --card FILE or --new FILE/],
      [["apdu", "--card", shared, "--seed", "4", ...pp], /--seed only applies with --new/],
      [["apdu", "--new", join(tmp, "x.card"), "--birth-date", "1990-13-01", ...pp], /--birth-date/],
      [
        ["apdu", "--new", join(tmp, "x.card"), "--birth-date", "1990-02-30", ...pp],
        /"1990-02-30" \(not a calendar date\)/,
      ],
      [["apdu", "--new", join(tmp, "x.card"), "--birth-date", "2023-02-29", ...pp], /not a calendar date/],
      [["apdu", "--new", join(tmp, "x.card"), "--birth-date", "1899-12-31", ...pp], /before 1900-01-01/],
      [
        ["apdu", "--new", join(tmp, "x.card"), "--birth-date", "2999-01-01", ...pp],
        /after the issuance date/,
      ],
      [["apdu", "--new", join(tmp, "nodir", "x.card"), ...pp], /the directory .* does not exist/],
      [["apdu", "--new", join(tmp, "x.card"), "--my-number", "123456789017", ...pp], /check digit/],
      [["apdu", "--new", join(tmp, "x.card"), "--address", "Somewhere", ...pp], /prefecture/],
      [["apdu", "--new", join(tmp, "x.card"), "--sign-password", "lower1", ...pp], /signature password/],
      [["apdu", "--new", join(tmp, "x.card"), "--auth-pin", "12345", ...pp], /auth PIN/],
      [
        [
          "apdu",
          "--new",
          join(tmp, "x.card"),
          "--birth-date",
          "2020-01-01",
          "--sign-password",
          "ABC123",
          ...pp,
        ],
        /under 15/,
      ],
      [["scan"], /unknown subcommand/],
      [["apdu", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      await expect(cardCommand(args), args.join(" ")).rejects.toThrow(InputError);
      await expect(cardCommand(args), args.join(" ")).rejects.toThrow(message);
    }
    expect(existsSync(join(tmp, "x.card"))).toBe(false);
    const saved = process.env.MYNA_CARD_PASSPHRASE;
    delete process.env.MYNA_CARD_PASSPHRASE;
    try {
      await expect(cardCommand(["apdu", "--card", shared])).rejects.toThrow(
        /give --passphrase TEXT or set MYNA_CARD_PASSPHRASE/,
      );
    } finally {
      if (saved !== undefined) process.env.MYNA_CARD_PASSPHRASE = saved;
    }
  });

  it("--help", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await cardCommand(["apdu", "--help"])).toBe(0);
      expect(await cardCommand(["--help"])).toBe(0);
      expect(await cardCommand([])).toBe(2);
      for (const call of log.mock.calls) expect(String(call[0])).toContain("Usage: myna-twin card apdu");
      expect(String(log.mock.calls[0]![0])).toContain("--save");
    } finally {
      log.mockRestore();
    }
  });
});
