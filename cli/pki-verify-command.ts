/**
 * `myna-twin pki verify CERT --trust ROOT [--intermediate CERT]... [--crl CRL]... [--at ISO-TIME]`
 * (issue 11 item 5): RFC 5280 path validation with the twin's validator (sim/pki/verify-chain.ts),
 * DER or PEM input. Prints `OK` and exits 0 for a valid path; `REJECTED <reason>` and exit 3
 * otherwise; an unreadable file or a bad flag is one line on stderr and exit 2. Delta CRLs and
 * distribution-point scoping are handled by default (OpenSSL 3.0 needs `-extended_crl`).
 * @module
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../engine/errors.js";
import type { CertificateView } from "../sim/pki/certificate.js";
import type { ParsedCrl } from "../sim/pki/crl-index.js";
import { verifyChain } from "../sim/pki/verify-chain.js";
import type { UnusableCrl } from "../sim/pki/verify-input.js";
import { readCertificates, readCrls } from "../sim/pki/verify-input.js";
import { MAX_CRL_BYTES } from "../sim/pki/limits.js";
import { parse } from "./args.js";

export const PKI_VERIFY_HELP = `Usage: myna-twin pki verify CERT --trust ROOT [--intermediate CERT]... [--crl CRL]... [--at ISO-TIME]

Validates CERT's certification path (RFC 5280 §6) up to a trusted root, DER or PEM files (a PEM
file may hold several blocks). With --crl, every certificate below the root must be covered by a
current, authentic complete CRL in scope (issuingDistributionPoint against the certificate's CRL
distribution point), with the newest applicable delta CRL applied; without --crl, revocation is not
checked (a note says so on stderr).

Options:
  --trust FILE          trusted root certificate(s); repeatable
  --intermediate FILE   untrusted intermediate CA certificate(s); repeatable
  --crl FILE            CRL(s): complete, delta or partitioned; repeatable
  --at ISO-TIME         validation time, e.g. 2026-04-01T09:00:00+09:00 (default: now)
  -h, --help            this help

Output and exit codes: "OK", exit 0; "REJECTED <reason>", exit 3; unreadable input or a bad flag,
one line on stderr, exit 2.
Cross-check: openssl verify -crl_check_all -extended_crl -use_deltas -CAfile ROOT -CRLfile CRL CERT`;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** `--at` as epoch ms; date-only means 00:00 UTC. */
export function parseAt(value: string | undefined): number {
  if (value === undefined) return Date.now();
  const ms =
    ISO_TIME.test(value) && (value.length === 10 || /(?:Z|[+-]\d{2}:\d{2})$/.test(value))
      ? Date.parse(value)
      : NaN;
  if (!Number.isFinite(ms))
    throw new InputError(
      `pki verify: --at ${JSON.stringify(value)} is not an ISO 8601 time with a zone (e.g. 2026-04-01T09:00:00Z or 2026-04-01)`,
    );
  return ms;
}

/** Certificate files (one or a PEM bundle of up to 1,000 certificates of at most 64 KiB each). */
const MAX_CERTIFICATE_FILE_BYTES = 96 * 1024 * 1024;

/**
 * Reads a file up to `limit` bytes, in chunks, so that a device or a growing file (/dev/zero) is
 * refused at the limit rather than read into memory whole.
 */
function readFile(path: string, flag: string, limit = MAX_CERTIFICATE_FILE_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(`pki verify: ${flag} ${path}: cannot read the file (${code})`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit)
        throw new InputError(`pki verify: ${flag} ${path}: more than the limit of ${limit} bytes`);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(`pki verify: ${flag} ${path}: cannot read the file (${code})`);
  } finally {
    closeSync(fd);
  }
}

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];

/** Runs `pki verify`; returns the exit status (0 OK, 3 REJECTED); throws InputError for exit 2. */
export function pkiVerifyCommand(argv: string[]): number {
  const { values, positionals } = parse("pki verify", argv, {
    trust: { type: "string", multiple: true },
    intermediate: { type: "string", multiple: true },
    crl: { type: "string", multiple: true },
    at: { type: "string" },
  });
  if (values.help) {
    console.log(PKI_VERIFY_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      positionals.length === 0
        ? "pki verify: the certificate to verify is missing (see myna-twin pki verify --help)"
        : `pki verify: one certificate at a time, got ${positionals.length} (${positionals.map((p) => JSON.stringify(p)).join(", ")})`,
    );
  const trustFiles = list(values.trust);
  if (trustFiles.length === 0)
    throw new InputError("pki verify: --trust ROOT is required (see myna-twin pki verify --help)");
  const at = parseAt(values.at as string | undefined);
  const certFile = positionals[0]!;
  const certs = readCertificates(readFile(certFile, "certificate"), certFile);
  if (certs.length !== 1)
    throw new InputError(
      `pki verify: ${certFile} holds ${certs.length} certificates; give the one to verify alone`,
    );
  const trust: CertificateView[] = [];
  for (const f of trustFiles) trust.push(...readCertificates(readFile(f, "--trust"), f));
  const intermediates: CertificateView[] = [];
  for (const f of list(values.intermediate))
    intermediates.push(...readCertificates(readFile(f, "--intermediate"), f));
  const crls: ParsedCrl[] = [];
  const unusable: UnusableCrl[] = [];
  for (const f of list(values.crl)) {
    const r = readCrls(readFile(f, "--crl", 2 * MAX_CRL_BYTES), f);
    crls.push(...r.crls);
    unusable.push(...r.unusable);
  }
  const out = verifyChain({ certificate: certs[0]!, trust, intermediates, crls, unusableCrls: unusable, at });
  if (!out.ok) {
    console.log(`REJECTED ${out.reason}`);
    return 3;
  }
  if (!out.revocationChecked) process.stderr.write("note: no --crl given, revocation not checked\n");
  console.log("OK");
  return 0;
}
