/**
 * `myna-twin portal login` (portal-command.ts) against a real `myna-twin serve --pki DIR --hub DIR`
 * process (the portal wired in cli/serve-command.ts): a card made by `card apdu --new FILE --pki
 * DIR` (the CA ledger links its serial to the holder's My Number) logs in through the CLI, which
 * prints `URL/portal/#session=TOKEN`, and that token reads exactly the holder's records — made
 * earlier through the hub's exchange route and read back from its lmdb store by the new process,
 * every proof verifying. A wrong PIN costs one try and says how many are left; bad flags, a
 * malformed PIN (which never reaches the card), a bad URL and an unreachable portal: one line,
 * exit 2. serve says whether the page is built; SIGTERM ends it with 0.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError } from "../engine/errors.js";
import { CA_STATE_FILE, type CaState } from "../sim/jpki/ca-directory.js";
import { demoResident } from "../sim/jpki/resident.js";
import { portalFixture, type PortalFixture } from "../sim/portal/_test-portal.js";
import { loadPortalPage } from "../sim/portal/portal-page.js";
import { checkRecord } from "../sim/portal/verify-records.js";
import { recordsFromJson } from "../sim/portal/wire.js";
import { expectOneCleanLine, runCli, startServe, type ServeChild } from "./_test-cli.js";
import { portalCommand } from "./portal-command.js";

const PASS = { MYNA_CARD_PASSPHRASE: "portal-cli-passphrase" };
const SEED = 77;
/** Not the default (30 min): the log-in's expiry shows the flag reached the portal. */
const SESSION_TTL_MS = 120_000;
let fx: PortalFixture;
let cardFile: string;
let serve: ServeChild;
let url: string;

beforeAll(async () => {
  fx = await portalFixture({ persons: 1, exchanges: 1, store: "hub" });
  cardFile = join(fx.dir, "card.myna");
  const made = await runCli(
    [
      "card",
      "apdu",
      "--new",
      cardFile,
      "--pki",
      fx.pkiDir,
      "--seed",
      String(SEED),
      "--birth-date",
      "2016-04-01",
      "--auth-pin",
      "4321",
    ],
    { env: { ...PASS, MYNA_CARD_STATE_DIR: join(fx.dir, "state") } },
  );
  expect(made.code, made.stderr).toBe(0);
  const myNumber = demoResident(SEED).myNumber;
  const holder = { myNumber, indices: [] as number[] };
  for (let i = 0; i < 2; i++) await fx.exchange(holder);
  // the in-process service and hub close; a real serve process reopens the same CA and hub
  await fx.stop();
  serve = startServe([
    "--pki",
    fx.pkiDir,
    "--hub",
    fx.hubDir!,
    "--port",
    "0",
    "--threads",
    "0",
    "--log",
    "off",
    "--portal-session-ttl-ms",
    String(SESSION_TTL_MS),
  ]);
  url = await serve.url;
}, 120_000);

afterAll(async () => {
  if (serve && serve.child.exitCode === null) serve.child.kill("SIGKILL");
  await fx?.close();
});

const env = () => ({ ...PASS, MYNA_CARD_STATE_DIR: join(fx.dir, "state") });

describe("myna-twin portal login", () => {
  it("links the card's serial to its holder in the CA ledger (card apdu --new --pki)", () => {
    const state = JSON.parse(readFileSync(join(fx.pkiDir, CA_STATE_FILE), "utf8")) as CaState;
    const mine = state.issued.filter((i) => i.myNumber === demoResident(SEED).myNumber);
    expect(mine.map((i) => i.kind)).toEqual(["auth"]);
    // the fixture's residents are linked too; nothing else carries a number
    expect(state.issued.every((i) => i.myNumber === undefined || /^\d{12}$/.test(i.myNumber))).toBe(true);
  });

  it("logs in with the card and prints the session URL, whose token reads the holder's records", async () => {
    const before = Date.now();
    const o = await runCli(["portal", "login", "--card", cardFile, "--pin", "4321", "--url", url], {
      env: env(),
    });
    const after = Date.now();
    expect(o.code, o.stderr).toBe(0);
    // serve --portal-session-ttl-ms: the session ends SESSION_TTL_MS after the log-in (ISO to the ms or s)
    const expires = Date.parse(/the session expires at (\S+)/.exec(o.stderr)![1]!.replace(/[.;]$/, ""));
    expect(expires).toBeGreaterThanOrEqual(before + SESSION_TTL_MS - 1000);
    expect(expires).toBeLessThanOrEqual(after + SESSION_TTL_MS);
    const printed = o.stdout.trim();
    expect(printed).toMatch(new RegExp(`^${url.replaceAll(".", "\\.")}/portal/#session=[A-Za-z0-9_-]{43}$`));
    const token = printed.slice(printed.indexOf("=") + 1);
    const res = await fetch(`${url}/v1/portal/records`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const doc = recordsFromJson(await res.json());
    expect(doc.total).toBe(4);
    for (const r of doc.records) expect(checkRecord(r, doc.publicKey).ok).toBe(true);
    const page = await fetch(`${url}/portal/`);
    // a clean clone has no built page until npm run build; serve says so either way
    if (loadPortalPage().ok) expect(page.status).toBe(200);
    else {
      expect(page.status).toBe(503);
      expect(serve.stderr()).toMatch(/Myna Portal page is not built/);
    }
    expect(o.stderr).toMatch(/logged in; the session expires at \d{4}-/);
  });

  it("reports a wrong PIN with the tries left, in one line, exit 2", async () => {
    const o = await runCli(["portal", "login", "--card", cardFile, "--pin", "0000", "--url", url], {
      env: env(),
    });
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(/refused the PIN \(2 tries left/);
    expect(o.stdout).toBe("");
  });

  it("refuses bad flags before touching the card or the network", async () => {
    const cases: [string[], RegExp][] = [
      [["login", "--pin", "1234", "--url", "http://127.0.0.1:1"], /--card FILE is required/],
      [["login", "--card", cardFile, "--url", "http://127.0.0.1:1"], /--pin PIN is required/],
      [["login", "--card", cardFile, "--pin", "1234"], /--url URL is required/],
      [["login", "--card", cardFile, "--pin", "12345", "--url", "http://x"], /4 digits, got 5 characters/],
      [["login", "--card", cardFile, "--pin", "12a4", "--url", "http://x"], /4 digits/],
      [["login", "--card", cardFile, "--pin", "1234", "--url", "ftp://x"], /http:\/\/ or https:\/\//],
      [["login", "--card", cardFile, "--pin", "1234", "--url", "not a url"], /expected the service's URL/],
      [
        ["login", "--card", cardFile, "--pin", "1234", "--url", "http://x/?a=1"],
        /without credentials, query/,
      ],
      [["login", "--card", join(fx.dir, "none.myna"), "--pin", "1234", "--url", "http://x"], /none\.myna/],
      [["login", "--bogus"], /bogus/],
      [["logout"], /unknown subcommand "logout"/],
    ];
    const saved = process.env.MYNA_CARD_PASSPHRASE;
    process.env.MYNA_CARD_PASSPHRASE = PASS.MYNA_CARD_PASSPHRASE;
    try {
      for (const [argv, message] of cases) {
        const e = await portalCommand(argv).catch((x: unknown) => x);
        expect(isInputError(e), argv.join(" ")).toBe(true);
        expect((e as Error).message, argv.join(" ")).toMatch(message);
      }
    } finally {
      if (saved === undefined) delete process.env.MYNA_CARD_PASSPHRASE;
      else process.env.MYNA_CARD_PASSPHRASE = saved;
    }
  });

  it("says when the portal cannot be reached", async () => {
    const saved = process.env.MYNA_CARD_PASSPHRASE;
    process.env.MYNA_CARD_PASSPHRASE = PASS.MYNA_CARD_PASSPHRASE;
    process.env.MYNA_CARD_STATE_DIR = join(fx.dir, "state");
    try {
      const e = await portalCommand([
        "login",
        "--card",
        cardFile,
        "--pin",
        "4321",
        "--url",
        "http://127.0.0.1:9",
      ]).catch((x: unknown) => x);
      expect((e as Error).message).toMatch(
        /cannot reach http:\/\/127\.0\.0\.1:9\/v1\/portal\/login\/challenge/,
      );
    } finally {
      if (saved === undefined) delete process.env.MYNA_CARD_PASSPHRASE;
      else process.env.MYNA_CARD_PASSPHRASE = saved;
      delete process.env.MYNA_CARD_STATE_DIR;
    }
  });

  it("ends serve with 0 on SIGTERM", async () => {
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
  });
});
