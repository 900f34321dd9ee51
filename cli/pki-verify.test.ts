/**
 * `myna-twin pki verify` (issue 11 item 5): every case of a small J-LIS-style PKI (sim/pki/
 * verify-fixtures.ts) checked by our validator and by `openssl verify -crl_check -extended_crl
 * -use_deltas` (`-crl_check_all` for chains) on the same files — the two must agree on OK / rejected. Also: OpenSSL 3.0 without
 * -extended_crl gets delta and partition cases wrong where ours is right by default; unreadable input
 * exits 2 with one line; a bounded fuzz of mutated CRLs and certificates never ends otherwise than
 * 0, 3 or a typed input error (the long run is bench/fuzz-der.ts --target verify).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isInputError } from "../engine/errors.js";
import { mulberry32, randomInt } from "../engine/random/small-prng.js";
import { mutate, tlvTree } from "../sim/pki/der-fuzz.js";
import { pemOf } from "../sim/pki/pem.js";
import type { VerifyFixture } from "../sim/pki/verify-fixtures.js";
import { buildVerifyFixture } from "../sim/pki/verify-fixtures.js";
import { parseAt, pkiVerifyCommand } from "./pki-verify-command.js";
import { expectOneCleanLine, runCli } from "./_test-cli.js";

const dir = mkdtempSync(join(tmpdir(), "myna-pki-verify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fx: VerifyFixture;
const files: Record<string, string> = {};

/** Write DER (`.der`) and PEM (`.pem`) copies; returns the base path. */
function put(name: string, der: Uint8Array, label: "CERTIFICATE" | "X509 CRL"): void {
  writeFileSync(join(dir, `${name}.der`), der);
  writeFileSync(join(dir, `${name}.pem`), pemOf(label, der));
  files[name] = join(dir, name);
}

beforeAll(() => {
  fx = buildVerifyFixture();
  put("root", fx.root, "CERTIFICATE");
  put("otherRoot", fx.otherRoot, "CERTIFICATE");
  put("intermediate", fx.intermediate, "CERTIFICATE");
  for (const [k, v] of Object.entries(fx.certs)) put(k, v, "CERTIFICATE");
  for (const [k, v] of Object.entries(fx.crls)) put(`crl-${k}`, v, "X509 CRL");
}, 60_000);

/** Run the command in-process; stdout lines and the exit status (InputError → 2 with its message). */
function ours(args: string[]): { code: number; out: string } {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((s: unknown) => void lines.push(String(s)));
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return { code: pkiVerifyCommand(args), out: lines.join("\n") };
  } catch (e) {
    if (isInputError(e)) return { code: 2, out: e.message };
    throw e;
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

interface Case {
  name: string;
  cert: string;
  crls: string[];
  intermediate?: string;
  at?: number;
  ok: boolean;
  reason?: RegExp;
}

const cases = (): Case[] => [
  { name: "good certificate, full CRL", cert: "good", crls: ["crl-full"], ok: true },
  {
    name: "revoked in the full CRL",
    cert: "revoked",
    crls: ["crl-full"],
    ok: false,
    reason: /revoked at .*keyCompromise \(CRL 10\)/,
  },
  {
    name: "revoked only in the delta, full + delta",
    cert: "deltaRevoked",
    crls: ["crl-full", "crl-delta"],
    ok: false,
    reason: /affiliationChanged \(delta CRL 11\)/,
  },
  { name: "delta-revoked certificate, full CRL alone", cert: "deltaRevoked", crls: ["crl-full"], ok: true },
  { name: "good certificate, full + delta", cert: "good", crls: ["crl-full", "crl-delta"], ok: true },
  {
    name: "a delta whose base is missing",
    cert: "good",
    crls: ["crl-delta"],
    ok: false,
    reason: /only a delta CRL is in scope; its base CRL is missing/,
  },
  { name: "partition certificate, its partition CRL", cert: "p1Good", crls: ["crl-p1"], ok: true },
  {
    name: "partition certificate revoked in its partition",
    cert: "p1Revoked",
    crls: ["crl-p1"],
    ok: false,
    reason: /cessationOfOperation/,
  },
  {
    name: "partition certificate, another partition's CRL (out of scope)",
    cert: "p1Revoked",
    crls: ["crl-p2"],
    ok: false,
    reason: /no CRL in scope/,
  },
  {
    name: "unpartitioned certificate, a partition CRL (out of scope)",
    cert: "good",
    crls: ["crl-p1"],
    ok: false,
    reason: /no CRL in scope/,
  },
  {
    name: "CRL from the other root generation (same DN, other key)",
    cert: "good",
    crls: ["crl-otherGeneration"],
    ok: false,
    reason: /another issuer or key/,
  },
  {
    name: "stale CRL past nextUpdate",
    cert: "good",
    crls: ["crl-stale"],
    ok: false,
    reason: /no current CRL/,
  },
  {
    name: "CRL with an unknown critical extension",
    cert: "good",
    crls: ["crl-unknownCritical"],
    ok: false,
    reason: /must not be used: unknown critical CRL extension 1\.3\.6\.1\.4\.1\.99999\.1/,
  },
  {
    name: "certificate with an unknown critical extension",
    cert: "unknownCritical",
    crls: ["crl-full"],
    ok: false,
    reason: /unhandled critical extension 1\.3\.6\.1\.4\.1\.99999\.2/,
  },
  { name: "no CRL given: revocation not checked", cert: "revoked", crls: [], ok: true },
  {
    name: "expired at --at",
    cert: "good",
    crls: [],
    at: Date.now() + 4000 * 86_400_000,
    ok: false,
    reason: /expired/,
  },
  {
    name: "chain through an intermediate",
    cert: "underIntermediate",
    crls: ["crl-intermediate", "crl-rootForIntermediate"],
    intermediate: "intermediate",
    ok: true,
  },
  {
    name: "chain: end entity revoked by the intermediate",
    cert: "underIntermediateRevoked",
    crls: ["crl-intermediate", "crl-rootForIntermediate"],
    intermediate: "intermediate",
    ok: false,
    reason: /^REJECTED certificate: revoked/,
  },
  {
    name: "chain: intermediate revoked by the root",
    cert: "underIntermediate",
    crls: ["crl-intermediate", "crl-rootRevokingIntermediate"],
    intermediate: "intermediate",
    ok: false,
    reason: /depth 1: revoked .*cACompromise/,
  },
  {
    name: "chain: intermediate's CRL missing",
    cert: "underIntermediate",
    crls: ["crl-rootForIntermediate"],
    intermediate: "intermediate",
    ok: false,
    reason: /no CRL from its issuer/,
  },
  {
    name: "chain: intermediate not given",
    cert: "underIntermediate",
    crls: [],
    ok: false,
    reason: /unable to get issuer certificate/,
  },
];

function opensslVerify(c: Case, extended: boolean): { ok: boolean; out: string } {
  const args = ["verify", "-CAfile", `${files.root}.pem`];
  // -crl_check_all also checks the trust anchor against the CRLs given (a partition CRL is out of
  // the root's scope), so it is used only for chains through an intermediate
  if (c.crls.length > 0)
    args.push(
      c.intermediate ? "-crl_check_all" : "-crl_check",
      ...(extended ? ["-extended_crl", "-use_deltas"] : []),
    );
  for (const f of c.crls) args.push("-CRLfile", `${files[f]}.pem`);
  if (c.intermediate) args.push("-untrusted", `${files[c.intermediate]}.pem`);
  args.push("-attime", String(Math.floor((c.at ?? fx.now) / 1000)));
  args.push(`${files[c.cert]}.pem`);
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  return { ok: r.status === 0 && /: OK\s*$/.test(r.stdout), out: `${r.stdout}${r.stderr}` };
}

function oursFor(c: Case, format: "der" | "pem"): { code: number; out: string } {
  const args = [`${files[c.cert]}.${format}`, "--trust", `${files.root}.${format}`];
  for (const f of c.crls) args.push("--crl", `${files[f]}.${format}`);
  if (c.intermediate) args.push("--intermediate", `${files[c.intermediate]}.${format}`);
  args.push("--at", new Date(c.at ?? fx.now).toISOString());
  return ours(args);
}

describe("pki verify agrees with openssl verify -crl_check (-crl_check_all for chains) -extended_crl -use_deltas", () => {
  it("on every case of the fixture, DER and PEM alike, with the reason named", () => {
    for (const c of cases()) {
      const o = openssl_(c);
      for (const format of ["der", "pem"] as const) {
        const r = oursFor(c, format);
        expect({ case: c.name, code: r.code }).toEqual({ case: c.name, code: c.ok ? 0 : 3 });
        expect(r.out, c.name).toMatch(c.ok ? /^OK$/ : /^REJECTED \S/);
        if (c.reason) expect(r.out, c.name).toMatch(c.reason);
      }
      expect({ case: c.name, openssl: o.ok }, o.out).toEqual({ case: c.name, openssl: c.ok });
    }
  });

  it("OpenSSL 3.0 without -extended_crl gets the delta cases wrong; ours is right by default", () => {
    const wrong = cases()
      .filter((c) => c.crls.length > 0 && opensslVerify(c, false).ok !== c.ok)
      .map((c) => c.name);
    // it ignores the delta's revocation and takes a lone delta for a complete CRL
    expect(wrong).toEqual(["revoked only in the delta, full + delta", "a delta whose base is missing"]);
    for (const name of wrong)
      expect(
        oursFor(
          cases().find((c) => c.name === name)!,
          "der",
        ).code,
        name,
      ).toBe(cases().find((c) => c.name === name)!.ok ? 0 : 3);
  });
});

const openssl_ = (c: Case): { ok: boolean; out: string } => opensslVerify(c, true);

describe("bad input", () => {
  it("unreadable files and bad flags exit 2 with one line naming the file or flag", async () => {
    const junk = join(dir, "junk.der");
    writeFileSync(junk, Uint8Array.of(0x30, 0x82, 0x01));
    const truncatedCrl = join(dir, "truncated-crl.der");
    writeFileSync(truncatedCrl, fx.crls.full.subarray(0, fx.crls.full.length - 9));
    const badPem = join(dir, "bad.pem");
    writeFileSync(badPem, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    const g = `${files.good}.der`;
    const r = `${files.root}.der`;
    for (const [args, msg] of [
      [[junk, "--trust", r], /junk\.der: not a readable certificate: DER error in Certificate/],
      [[g, "--trust", r, "--crl", truncatedCrl], /truncated-crl\.der: not a readable CRL: DER error/],
      [[badPem, "--trust", r], /bad\.pem: line 2: the CERTIFICATE block is not base64/],
      [[g, "--trust", join(dir, "missing.pem")], /--trust .*missing\.pem: cannot read the file \(ENOENT\)/],
      // regression: a device was read whole (no size limit); now refused at the limit
      [["/dev/zero", "--trust", r], /certificate \/dev\/zero: more than the limit of 100663296 bytes/],
      [[g], /--trust ROOT is required/],
      [["--trust", r], /the certificate to verify is missing/],
      [[g, "--trust", r, "--at", "yesterday"], /--at "yesterday" is not an ISO 8601 time/],
      [
        [g, "--trust", `${files["crl-full"]}.pem`],
        /found "-----BEGIN X509 CRL-----", expected "-----BEGIN CERTIFICATE-----"/,
      ],
    ] as const) {
      const o = ours([...args]);
      expect(o.code, String(args)).toBe(2);
      expect(o.out).toMatch(msg);
    }
    // through the real CLI: exit status and the one-line contract
    const cli = await runCli(["pki", "verify", junk, "--trust", r]);
    expect(cli.code).toBe(2);
    expectOneCleanLine(cli);
    const rejected = await runCli([
      "pki",
      "verify",
      `${files.revoked}.pem`,
      "--trust",
      `${files.root}.pem`,
      "--crl",
      `${files["crl-full"]}.der`,
    ]);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout).toMatch(/^REJECTED certificate: revoked at /);
  }, 30_000);

  it("--at takes ISO 8601 with a zone, or a date", () => {
    expect(parseAt("2026-04-01T09:00:00+09:00")).toBe(Date.UTC(2026, 3, 1, 0));
    expect(parseAt("2026-04-01")).toBe(Date.UTC(2026, 3, 1));
    expect(() => parseAt("2026-04-01T09:00:00")).toThrow(/with a zone/);
    expect(() => parseAt("2026-02-30T00:00:00Z")).not.toThrow(); // Date.parse rolls over; documented as ISO only
  });

  it("fuzz: 300 mutated CRLs and certificates end in OK, REJECTED or exit 2 — never a crash", () => {
    const rnd = mulberry32(20261202);
    const targets: [string, Uint8Array, "cert" | "crl"][] = [
      ["full", fx.crls.full, "crl"],
      ["delta", fx.crls.delta, "crl"],
      ["p1", fx.crls.p1, "crl"],
      ["good", fx.certs.good, "cert"],
      ["p1Revoked", fx.certs.p1Revoked, "cert"],
    ];
    const tally = { 0: 0, 2: 0, 3: 0 } as Record<number, number>;
    const file = join(dir, "mutant.der");
    for (let i = 0; i < 300; i++) {
      const [, der, kind] = targets[randomInt(rnd, targets.length)]!;
      writeFileSync(file, mutate(rnd, der, tlvTree(der)));
      const args =
        kind === "crl"
          ? [
              `${files.p1Revoked}.der`,
              "--trust",
              `${files.root}.der`,
              "--crl",
              file,
              "--crl",
              `${files["crl-full"]}.der`,
            ]
          : [
              file,
              "--trust",
              `${files.root}.der`,
              "--crl",
              `${files["crl-full"]}.der`,
              "--crl",
              `${files["crl-p1"]}.der`,
            ];
      const o = ours(args);
      expect([0, 2, 3]).toContain(o.code);
      tally[o.code]!++;
    }
    expect(tally[2]! + tally[3]!).toBeGreaterThan(150);
  });
});
