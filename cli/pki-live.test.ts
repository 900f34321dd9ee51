/**
 * The live setup's contract end to end (DESIGN.md §5), every step through the CLI: `pki init` →
 * `card apdu --new FILE --pki DIR` → `serve --pki DIR` (port 0) → a client completing challenge /
 * verify with the card answering its APDUs (`card apdu --card FILE`, hex on stdin) → `pki revoke` →
 * serve reloads (polled, bounded in count) → the same card is refused `revoked`. `openssl verify
 * -crl_check` accepts the card certificate before the revocation and rejects it after. Bad input
 * to each new command: one line, exit 2, the CA unchanged.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError } from "../engine/errors.js";
import {
  CardFile,
  JPKI_AID,
  JPKI_EF,
  computeSignatureCommand,
  digestInfoFor,
  fromHex,
  readBinaryCommand,
  selectAidCommand,
  selectEfCommand,
  toHex,
  verifyCommand,
} from "../sim/card/index.js";
import { revokeSerial } from "../sim/jpki/ca-directory.js";
import { parseCertificate, parseCrl, partitionLabel, serialPartition } from "../sim/pki/index.js";
import { readDerOrPem } from "../sim/services/ca-directory.js";
import { expectOneCleanLine, runCli, startServe } from "./_test-cli.js";
import { cardCommand } from "./card-command.js";
import { pkiCommand } from "./pki-command.js";

let scratch: string;
let ca: string;
let cardFile: string;
let certDer: Uint8Array;
let serialHex: string;
const PASS = { MYNA_CARD_PASSPHRASE: "live-test-passphrase" };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "myna-pki-live-"));
  ca = join(scratch, "ca");
  cardFile = join(scratch, "card.myna");
  const init = await runCli(["pki", "init", "--out", ca, "--partitions", "2"]);
  expect(init.code, init.stderr).toBe(0);
  const made = await runCli(["card", "apdu", "--new", cardFile, "--pki", ca, "--auth-pin", "1234"], {
    env: PASS,
  });
  expect(made.code, made.stderr).toBe(0);
  certDer = readDerOrPem(join(scratch, "card.auth-cert.pem"));
  serialHex = toHex(parseCertificate(certDer).serial, "");
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * The card signs `challenge` through its APDUs: the first time in a `card apdu --card FILE` process
 * (hex on stdin), afterwards through the same card file opened here (sim/card CardFile, the same
 * session code the CLI runs; saves a process start on the shared machine).
 */
let viaCli = true;
async function cardAnswer(
  challenge: Uint8Array,
): Promise<{ certificate: Uint8Array; signature: Uint8Array }> {
  const apdus: Uint8Array[] = [selectAidCommand(JPKI_AID), selectEfCommand(JPKI_EF.AUTH_CERT)];
  const reads: number[] = [];
  for (let off = 0; off < certDer.length; off += 256) {
    reads.push(apdus.length);
    apdus.push(readBinaryCommand(off, Math.min(256, certDer.length - off)));
  }
  apdus.push(selectEfCommand(JPKI_EF.AUTH_PIN), verifyCommand("1234"), selectEfCommand(JPKI_EF.AUTH_KEY));
  apdus.push(computeSignatureCommand(digestInfoFor("sha256", challenge)));
  let answers: Uint8Array[];
  if (viaCli) {
    viaCli = false;
    const o = await runCli(["card", "apdu", "--card", cardFile], {
      env: PASS,
      input: apdus.map((a) => toHex(a)).join("\n") + "\n",
    });
    expect(o.code, o.stderr).toBe(0);
    answers = o.stdout
      .trimEnd()
      .split("\n")
      .map((l) => fromHex(l));
  } else {
    const session = CardFile.open(cardFile, PASS.MYNA_CARD_PASSPHRASE);
    try {
      answers = apdus.map((a) => session.transmit(a));
    } finally {
      session.close();
    }
  }
  expect(answers).toHaveLength(apdus.length);
  for (const a of answers) expect(toHex(a.subarray(a.length - 2), "")).toBe("9000");
  const certificate = Buffer.concat(reads.map((i) => answers[i]!.subarray(0, answers[i]!.length - 2)));
  const last = answers[answers.length - 1]!;
  return { certificate: new Uint8Array(certificate), signature: last.subarray(0, last.length - 2) };
}

async function authenticate(url: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const c = (await (await fetch(`${url}/v1/auth/challenge`, { method: "POST" })).json()) as Record<
    string,
    string
  >;
  const a = await cardAnswer(new Uint8Array(Buffer.from(c.challenge!, "base64")));
  const r = await fetch(`${url}/v1/auth/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      challengeId: c.challengeId,
      certificate: Buffer.from(a.certificate).toString("base64"),
      signature: Buffer.from(a.signature).toString("base64"),
    }),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

function opensslVerify(crlFile = "auth-crl-full.pem"): { status: number | null; out: string } {
  const r = spawnSync(
    "openssl",
    [
      "verify",
      "-crl_check",
      "-CAfile",
      join(ca, "auth-root.pem"),
      "-CRLfile",
      join(ca, crlFile),
      join(scratch, "card.auth-cert.pem"),
    ],
    { encoding: "utf8" },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

/** The CA's mutable files, to show a refused command changed nothing. */
function snapshot(): string {
  return ["ca-state.json", "auth-crl-full.der", "sign-crl-full.der", "auth-crl-P0000.der"]
    .map((f) => readFileSync(join(ca, f)).toString("base64"))
    .join("|");
}

describe("pki init → card apdu --new --pki → serve → pki revoke", () => {
  it("authenticates the card, then refuses it as revoked once serve has reloaded the CRL", async () => {
    expect(statSync(join(ca, "auth-root.key.pem")).mode & 0o777).toBe(0o600);
    expect(statSync(join(ca, "sign-root.key.pem")).mode & 0o777).toBe(0o600);
    expect(opensslVerify()).toMatchObject({ status: 0 });
    // The CA's durable counter: the first serial it gave (auth, then sign).
    expect(serialHex.toUpperCase()).toMatch(/^[0-9A-F]{16}0{15}1$/);
    const partitionPem = `auth-crl-${partitionLabel(serialPartition(parseCertificate(certDer).serial, 2))}.pem`;
    expect(opensslVerify(partitionPem)).toMatchObject({ status: 0 });

    const {
      child,
      url: listening,
      exited,
    } = startServe(["--pki", ca, "--port", "0", "--threads", "0", "--crl-reload-ms", "20", "--log", "off"]);
    try {
      const url = await listening;

      const ok = await authenticate(url);
      expect(ok).toEqual({ status: 200, json: { result: "ok", serial: expect.any(String) } });
      expect((ok.json.serial as string).toUpperCase()).toBe(serialHex.toUpperCase());

      // The partition CRLs written by pki init are served; the card's partition lists nothing yet.
      const part = await fetch(`${url}/v1/crl/auth/partition/1`);
      expect(part.status).toBe(200);
      expect(parseCrl(new Uint8Array(await part.arrayBuffer())).entries.count).toBe(0);
      const before = (await fetch(`${url}/v1/crl/auth/full`)).headers.get("etag");

      const rev = await runCli([
        "pki",
        "revoke",
        "--pki",
        ca,
        "--serial",
        serialHex,
        "--reason",
        "keyCompromise",
      ]);
      expect(rev.code, rev.stderr).toBe(0);
      expect(rev.stdout).toMatch(/CRL number 2 with 1 entry/);
      const v = opensslVerify();
      expect(v.status).not.toBe(0);
      expect(v.out).toMatch(/certificate revoked/);
      // The certificate's CRL distribution point names its partition, whose CRL lists it too.
      expect(opensslVerify(partitionPem).out).toMatch(/certificate revoked/);

      // Wait for serve's reload: poll the served CRL's ETag, a bounded number of times.
      let after = before;
      for (let i = 0; i < 200 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 25));
        after = (await fetch(`${url}/v1/crl/auth/full`)).headers.get("etag");
      }
      expect(after).not.toBe(before);
      const served = parseCrl(new Uint8Array(await (await fetch(`${url}/v1/crl/auth/full`)).arrayBuffer()));
      expect(served.crlNumber).toBe(2n);
      expect(served.entries.has(parseCertificate(certDer).serial)).toBe(true);
      // The delta against the previous full CRL and the revocation filter: 200, then 304 on the ETag.
      for (const name of ["delta", "filter"]) {
        const r = await fetch(`${url}/v1/crl/auth/${name}`);
        expect(r.status, name).toBe(200);
        expect(r.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
        const etag = r.headers.get("etag")!;
        const body = new Uint8Array(await r.arrayBuffer());
        if (name === "delta") expect(parseCrl(body).entries.has(parseCertificate(certDer).serial)).toBe(true);
        const again = await fetch(`${url}/v1/crl/auth/${name}`, { headers: { "if-none-match": etag } });
        expect(again.status, name).toBe(304);
        expect(again.headers.get("etag")).toBe(etag);
      }

      const refused = await authenticate(url);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.json.error).toBe("revoked");
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, 60_000);

  it("revoking the same serial again, or an unknown one: one line, exit 2, nothing changed", async () => {
    const s = snapshot();
    const [twice, unknown] = await Promise.all([
      runCli(["pki", "revoke", "--pki", ca, "--serial", serialHex, "--reason", "superseded"]),
      runCli([
        "pki",
        "revoke",
        "--pki",
        ca,
        "--serial",
        "7F00000000000000000000000000AB",
        "--reason",
        "superseded",
      ]),
    ]);
    expect(twice.code).toBe(2);
    expectOneCleanLine(twice);
    expect(twice.stderr).toMatch(/already revoked/);
    expect(unknown.code).toBe(2);
    expectOneCleanLine(unknown);
    expect(unknown.stderr).toMatch(/never issued that serial/);
    expect(snapshot()).toBe(s);
    expect(existsSync(join(ca, ".ca-lock"))).toBe(false);
  }, 30_000);

  it("bad reason, bad serial, missing directory, missing flag: typed errors, nothing changed", async () => {
    const s = snapshot();
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(isInputError(e), String(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error("expected an InputError");
    };
    expect(await code(revokeSerial(ca, serialHex, "stolen", Date.now()))).toMatch(
      /--reason: expected one of unspecified, keyCompromise.*got "stolen"/,
    );
    expect(await code(revokeSerial(ca, serialHex, "removeFromCRL", Date.now()))).toMatch(/--reason/);
    expect(await code(revokeSerial(ca, "xyz", "keyCompromise", Date.now()))).toMatch(/--serial: expected/);
    expect(await code(revokeSerial(join(scratch, "nope"), "01", "keyCompromise", Date.now()))).toMatch(
      /no such directory/,
    );
    expect(await code(pkiCommand(["revoke", "--pki", ca, "--serial", "01"]))).toMatch(/--reason is required/);
    expect(await code(pkiCommand(["init"]))).toMatch(/--out DIR is required/);
    expect(await code(pkiCommand(["init", "--out", join(scratch, "x"), "--partitions", "0"]))).toMatch(
      /partitions/,
    );
    expect(existsSync(join(scratch, "x"))).toBe(false);
    expect(snapshot()).toBe(s);
  });

  it("pki init never overwrites an existing CA; card --new --pki needs a pki init CA", async () => {
    const s = snapshot();
    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(isInputError(e), String(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error("expected an InputError");
    };
    expect(await refused(pkiCommand(["init", "--out", ca]))).toMatch(/exists and is not empty/);
    const other = join(scratch, "other.myna");
    expect(
      await refused(cardCommand(["apdu", "--new", other, "--pki", scratch, "--passphrase", "p"])),
    ).toMatch(/not a CA made by myna-twin pki init/);
    expect(
      await refused(
        cardCommand(["apdu", "--new", other, "--pki", join(scratch, "none"), "--passphrase", "p"]),
      ),
    ).toMatch(/no such directory/);
    expect(
      await refused(cardCommand(["apdu", "--card", cardFile, "--pki", ca, "--passphrase", "p"])),
    ).toMatch(/--pki only applies with --new/);
    expect(existsSync(other)).toBe(false);
    expect(snapshot()).toBe(s);
  });
});
