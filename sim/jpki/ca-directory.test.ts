/**
 * The pki-init CA directory (ca-directory.ts): serials unique under concurrent issuers (the lock and
 * the durable counter), CRL re-issue (next number, reasonCode absent for unspecified, the right
 * root and partition only), the CRL number never reused after a crash between CRL and ledger, and
 * refusals (locked, wrong key, bad serial text) that change nothing.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import {
  REASON_ABSENT,
  issueAuthenticationCertificate,
  parseCertificate,
  parseCrl,
  partitionLabel,
  serialPartition,
} from "../pki/index.js";
import { pemOf } from "../pki/pem.js";
import { RevocationFilter, certificateKey } from "../revocation/filter/index.js";
import {
  CA_LOCK_FILE,
  CA_STATE_FILE,
  allocateSerials,
  initCaDirectory,
  normaliseSerial,
  revokeSerial,
  withCa,
} from "./ca-directory.js";
import type { CaState } from "./ca-directory.js";

let scratch: string;
let dir: string;
const P = 3;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "myna-ca-dir-"));
  dir = join(scratch, "ca");
  await initCaDirectory(dir, { partitions: P, now: Date.now() });
}, 30_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const crl = (name: string) => parseCrl(new Uint8Array(readFileSync(join(dir, `${name}.der`))));
const state = () => JSON.parse(readFileSync(join(dir, CA_STATE_FILE), "utf8")) as CaState;
const hex = (b: Uint8Array) => normaliseSerial(Buffer.from(b).toString("hex"))!;

describe("pki init CA directory", () => {
  it("gives unique serials to concurrent issuers, each recorded in the ledger", async () => {
    const got = await Promise.all(
      Array.from({ length: 10 }, () =>
        withCa(dir, (ca) => allocateSerials(ca, ["auth", "sign"], Date.now())),
      ),
    );
    const serials = got.flatMap((g) => [hex(g.auth), hex(g.sign)]);
    expect(new Set(serials).size).toBe(20);
    const counters = got.flatMap((g) => [g.auth, g.sign]).map((s) => Buffer.from(s).readBigUInt64BE(8));
    expect(new Set(counters).size).toBe(20);
    const s = state();
    expect(s.nextSerial).toBe(21);
    expect(s.issued.map((i) => i.serial).sort()).toEqual([...serials].sort());
    expect(existsSync(join(dir, CA_LOCK_FILE))).toBe(false);
  });

  it("re-issues only the revoked certificate's root CRL and partition, next number, no reasonCode for unspecified", async () => {
    const s0 = state();
    const auth = s0.issued.find((i) => i.kind === "auth")!;
    const sign = s0.issued.find((i) => i.kind === "sign")!;
    const signBefore = readFileSync(join(dir, "sign-crl-full.der"));
    const r = await revokeSerial(dir, auth.serial.toLowerCase(), "unspecified", Date.now());
    expect(r).toMatchObject({ kind: "auth", serial: auth.serial, crlNumber: 2, entries: 1 });
    expect(readFileSync(join(dir, "sign-crl-full.der")).equals(signBefore)).toBe(true);
    const full = crl("auth-crl-full");
    expect(full.crlNumber).toBe(2n);
    expect(full.nextUpdate! - full.thisUpdate).toBe(86_400_000);
    const serial = Buffer.from(auth.serial, "hex");
    const h = full.entries.find(serial);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(full.entries.reason(h)).toBe(REASON_ABSENT);
    const home = serialPartition(serial, P);
    for (let p = 0; p < P; p++) {
      const part = crl(`auth-crl-${partitionLabel(p)}`);
      expect(part.crlNumber).toBe(2n);
      expect(part.entries.has(serial)).toBe(p === home);
    }
    await revokeSerial(dir, sign.serial, "affiliationChanged", Date.now());
    const signCrl = crl("sign-crl-full");
    expect(signCrl.crlNumber).toBe(2n);
    expect(signCrl.entries.reason(signCrl.entries.find(Buffer.from(sign.serial, "hex")))).toBe(3);
    expect(state().revoked.map((x) => x.reason)).toEqual(["unspecified", "affiliationChanged"]);
  });

  it("never reuses a CRL number when the ledger lags the CRL file (crash between the two writes)", async () => {
    const s = state();
    s.crlNumber.auth = 1; // as if the process died after writing CRL 2 but before the ledger
    writeFileSync(join(dir, CA_STATE_FILE), JSON.stringify(s));
    const next = s.issued.filter((i) => i.kind === "auth")[1]!;
    const r = await revokeSerial(dir, next.serial, "keyCompromise", Date.now());
    expect(r.crlNumber).toBe(3);
    expect(crl("auth-crl-full").entries.count).toBe(2);
  });

  it("refuses while another command holds the lock, and with a key that is not the root's; nothing changed", async () => {
    const before = readFileSync(join(dir, CA_STATE_FILE), "utf8");
    const serial = state().issued.filter((i) => i.kind === "auth")[2]!.serial;
    writeFileSync(join(dir, CA_LOCK_FILE), "12345\n");
    await expect(revokeSerial(dir, serial, "superseded", Date.now())).rejects.toMatchObject({
      code: "E_CA_LOCKED",
    });
    rmSync(join(dir, CA_LOCK_FILE));
    const key = join(dir, "auth-root.key.pem");
    const saved = readFileSync(key);
    copyFileSync(join(dir, "sign-root.key.pem"), key);
    try {
      await expect(revokeSerial(dir, serial, "superseded", Date.now())).rejects.toThrow(
        /auth-root.key.pem is not the key of auth-root.der/,
      );
    } finally {
      writeFileSync(key, saved);
    }
    expect(readFileSync(join(dir, CA_STATE_FILE), "utf8")).toBe(before);
    expect(existsSync(join(dir, CA_LOCK_FILE))).toBe(false);
  });

  it("writes a delta CRL against the previous full CRL and a filter over the issued serials; OpenSSL applies the delta", async () => {
    const d = join(scratch, "ca-delta");
    await initCaDirectory(d, { partitions: 1, now: Date.now() });
    const initDelta = parseCrl(new Uint8Array(readFileSync(join(d, "auth-crl-delta.der"))));
    expect([initDelta.crlNumber, initDelta.entries.count]).toEqual([1n, 0]);
    expect(existsSync(join(d, "auth-filter.bin"))).toBe(false);
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
    const { serials, cert } = await withCa(d, (ca) => {
      const s = [0, 1, 2, 3].map(() => allocateSerials(ca, ["auth"], Date.now()).auth);
      const der = issueAuthenticationCertificate({
        issuer: ca.roots.auth,
        spki,
        issuedAt: Date.now() - 60_000,
        birthDate: "1990-01-01",
        serial: s[0]!,
      });
      return { serials: s, cert: der };
    });
    writeFileSync(join(d, "card.pem"), pemOf("CERTIFICATE", cert));
    copyFileSync(join(d, "auth-crl-full.pem"), join(scratch, "base.pem"));
    const r = await revokeSerial(d, hex(serials[0]!), "keyCompromise", Date.now());
    expect(r.crlNumber).toBe(2);

    const text = spawnSync(
      "openssl",
      ["crl", "-inform", "DER", "-noout", "-text", "-in", join(d, "auth-crl-delta.der")],
      {
        encoding: "utf8",
      },
    );
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Delta CRL Indicator: critical\s+1\b/);
    expect(text.stdout.replace(/[:\s]/g, "").toUpperCase()).toContain(`SERIALNUMBER${hex(serials[0]!)}`);
    const verify = (...crls: string[]) =>
      spawnSync(
        "openssl",
        [
          "verify",
          "-crl_check",
          "-extended_crl",
          "-use_deltas",
          "-CAfile",
          join(d, "auth-root.pem"),
          ...crls.flatMap((c) => ["-CRLfile", c]),
          join(d, "card.pem"),
        ],
        { encoding: "utf8" },
      );
    expect(verify(join(scratch, "base.pem")).status).toBe(0);
    const v = verify(join(scratch, "base.pem"), join(d, "auth-crl-delta.pem"));
    expect(v.status).not.toBe(0);
    expect(v.stdout + v.stderr).toMatch(/certificate revoked/);

    const filter = RevocationFilter.parse(new Uint8Array(readFileSync(join(d, "auth-filter.bin"))));
    const keyId = parseCertificate(new Uint8Array(readFileSync(join(d, "auth-root.der")))).subjectKeyId!;
    const key = new Uint32Array(2);
    const answers = serials.map((s) => {
      certificateKey(keyId, s, key);
      return filter.has(key[0]!, key[1]!);
    });
    expect(answers).toEqual([true, false, false, false]);
  }, 30_000);

  it("reads serials as OpenSSL prints them", () => {
    expect(normaliseSerial("0f:66:47")).toBe("0F6647");
    expect(normaliseSerial("00AB")).toBe("AB");
    expect(normaliseSerial("0x1")).toBe("01");
    expect(normaliseSerial("00")).toBe("00");
    expect(normaliseSerial("xyz")).toBeUndefined();
    expect(normaliseSerial("")).toBeUndefined();
  });

  it("links the serials it issues to the holder's My Number; a malformed number allocates nothing", async () => {
    const got = await withCa(dir, (ca) => allocateSerials(ca, ["auth", "sign"], Date.now(), "123456789018"));
    const s = state();
    for (const kind of ["auth", "sign"] as const)
      expect(s.issued.find((i) => i.serial === hex(got[kind]))).toMatchObject({
        kind,
        myNumber: "123456789018",
      });
    // entries issued without a number (older ledgers) still load and carry none
    expect(s.issued.filter((i) => i.myNumber === undefined).length).toBeGreaterThan(0);
    const before = readFileSync(join(dir, CA_STATE_FILE), "utf8");
    await expect(withCa(dir, (ca) => allocateSerials(ca, ["auth"], Date.now(), "12345"))).rejects.toThrow(
      /individual number must be 12 digits/,
    );
    expect(readFileSync(join(dir, CA_STATE_FILE), "utf8")).toBe(before);
  });
});
