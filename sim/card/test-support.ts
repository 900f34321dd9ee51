/**
 * Test fixtures for sim/card (used only by *.test.ts): real RSA-2048 keys from node:crypto and
 * real X.509 certificates made by the `openssl` CLI in a temp directory — two self-signed CA
 * certificates and two end-entity certificates issued by them — plus a transcript recorder that
 * sends hex APDUs to a card and logs both directions.
 * @module
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseResponse } from "./apdu.js";
import type { CardPersonalisation, MyNumberCard } from "./card.js";
import { fromHex, toHex } from "./hex.js";

/** Keys and certificates for one test file. */
export interface CardFixture {
  /** Temp directory holding the PEM/DER files (removed by `dispose`). */
  readonly dir: string;
  /** Auth private key. */
  readonly authKey: KeyObject;
  /** Signature private key. */
  readonly signKey: KeyObject;
  /** Auth certificate DER (issued by the auth CA). */
  readonly authCert: Uint8Array;
  /** Auth CA certificate DER (self-signed). */
  readonly authCaCert: Uint8Array;
  /** Signature certificate DER (issued by the sign CA). */
  readonly signCert: Uint8Array;
  /** Signature CA certificate DER (self-signed). */
  readonly signCaCert: Uint8Array;
  /** A full personalisation record (PINs auth 1234, sign ABC123XYZ, text 5678), with overrides. */
  personalisation(overrides?: Partial<CardPersonalisation>): CardPersonalisation;
  /** Remove the temp directory. */
  dispose(): void;
}

/** PINs of the fixture personalisation. */
export const FIXTURE_PINS = { auth: "1234", sign: "ABC123XYZ", text: "5678" } as const;

/** The fixture's 4 basic facts. */
export const FIXTURE_FACTS = {
  name: "番号　花子",
  address: "東京都千代田区霞が関２丁目１番２号",
  birthDate: "19900217",
  sex: "2",
} as const;

function openssl(args: string[], cwd: string): string {
  return execFileSync("openssl", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Generate keys (4 × RSA-2048) and certificates with the openssl CLI. */
export function makeFixture(): CardFixture {
  const dir = mkdtempSync(join(tmpdir(), "myna-card-"));
  const key = (name: string): KeyObject => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
    writeFileSync(join(dir, `${name}.key.pem`), privateKey.export({ format: "pem", type: "pkcs8" }));
    return privateKey;
  };
  const ca = (name: string, ou: string) => {
    key(name);
    openssl(
      [
        "req",
        "-x509",
        "-new",
        "-key",
        `${name}.key.pem`,
        "-subj",
        `/C=JP/O=JPKI-TWIN-TEST/OU=${ou}`,
        "-days",
        "3650",
        "-sha256",
        "-out",
        `${name}.pem`,
      ],
      dir,
    );
    openssl(["x509", "-in", `${name}.pem`, "-outform", "DER", "-out", `${name}.der`], dir);
  };
  const ee = (name: string, caName: string, subject: string, serial: string): KeyObject => {
    const k = key(name);
    openssl(["req", "-new", "-key", `${name}.key.pem`, "-subj", subject, "-out", `${name}.csr`], dir);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        `${caName}.pem`,
        "-CAkey",
        `${caName}.key.pem`,
        "-set_serial",
        serial,
        "-days",
        "1825",
        "-sha256",
        "-extfile",
        "ee.ext",
        "-extensions",
        "ee",
        "-outform",
        "DER",
        "-out",
        `${name}.der`,
      ],
      dir,
    );
    return k;
  };
  // End-entity extensions shaped like the JPKI profile (FACTS §1.1–1.3), so the auth certificate
  // is about the size of a real one (≈1.5 KB, read in ~7 chunks).
  writeFileSync(
    join(dir, "ee.ext"),
    [
      "[ee]",
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid",
      "certificatePolicies = @pol",
      "crlDistributionPoints = crldp",
      "authorityInfoAccess = OCSP;URI:http://ocsp.twin.example.invalid/jpki/user-authentication",
      "[pol]",
      "policyIdentifier = 1.2.392.200149.8.5.1.3.30",
      "CPS.1 = http://www.jpki.twin.example.invalid/cps/user-authentication/certificate-practice-statement.html",
      "userNotice.1 = @notice",
      "[notice]",
      'explicitText = "Simulated JPKI user-authentication certificate for the myna-twin test suite; not issued by J-LIS and not valid for any real-world authentication or signature."',
      "[crldp]",
      "fullname = dirName:crl_dn",
      "[crl_dn]",
      "C = JP",
      "O = JPKI-TWIN-TEST",
      "OU = JPKI for user authentication",
      "OU = Japan Agency for Local Authority Information Systems (simulated)",
      "CN = CRL Distribution Point 0001",
      "",
    ].join("\n"),
  );
  ca("authca", "JPKI for user authentication");
  ca("signca", "JPKI for digital signature");
  const authKey = ee("auth", "authca", "/C=JP/CN=TWIN0000000000000000001", "0x1001");
  const signKey = ee("sign", "signca", "/C=JP/L=Chiyoda-ku/CN=TWIN SIGN 0001", "0x2001");
  const der = (n: string) => new Uint8Array(readFileSync(join(dir, `${n}.der`)));
  const fx = {
    dir,
    authKey,
    signKey,
    authCert: der("auth"),
    authCaCert: der("authca"),
    signCert: der("sign"),
    signCaCert: der("signca"),
  };
  return {
    ...fx,
    personalisation: (overrides = {}) => ({
      myNumber: "123456789018",
      basicFacts: { ...FIXTURE_FACTS },
      pins: { ...FIXTURE_PINS },
      hasSignatureCert: true,
      authKey: fx.authKey,
      authCert: fx.authCert,
      authCaCert: fx.authCaCert,
      signKey: fx.signKey,
      signCert: fx.signCert,
      signCaCert: fx.signCaCert,
      tokenSerial: "TWIN0001",
      ...overrides,
    }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One logged exchange. */
export interface LoggedExchange {
  /** Command bytes. */
  readonly command: Uint8Array;
  /** Response bytes. */
  readonly response: Uint8Array;
}

/** Sends APDUs to a card and records the exchanges. */
export class Transcript {
  /** Every exchange so far. */
  readonly log: LoggedExchange[] = [];
  constructor(private readonly card: MyNumberCard) {}

  /** Send a command (hex text or bytes); returns data, status word and the raw response. */
  send(command: string | Uint8Array): { data: Uint8Array; sw: number; raw: Uint8Array } {
    const bytes = typeof command === "string" ? fromHex(command) : command;
    const raw = this.card.transmit(bytes);
    this.log.push({ command: bytes, response: raw });
    return { ...parseResponse(raw), raw };
  }

  /** The log as `> command` / `< response` hex lines. */
  toText(): string {
    return this.log.map((e) => `> ${toHex(e.command)}\n< ${toHex(e.response)}`).join("\n");
  }
}

/** Verify a SHA-256 signature with the openssl CLI against the public key of `certDer`. */
export function opensslVerifySha256(
  dir: string,
  certDer: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): string {
  writeFileSync(join(dir, "v.cert.der"), certDer);
  writeFileSync(join(dir, "v.msg"), message);
  writeFileSync(join(dir, "v.sig"), signature);
  openssl(["x509", "-inform", "DER", "-in", "v.cert.der", "-pubkey", "-noout", "-out", "v.pub.pem"], dir);
  return openssl(["dgst", "-sha256", "-verify", "v.pub.pem", "-signature", "v.sig", "v.msg"], dir).trim();
}
