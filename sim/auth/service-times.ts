/**
 * Service times of the verification path, measured on this machine at the start of a run with real
 * cryptography (issue 10 item 2; DESIGN.md §6): an RSA-2048 J-LIS-style authentication root and a
 * card certificate issued under it (sim/pki jpki-profiles), a signed CRL with filler entries, and per
 * request the platform operator's work — parse the certificate DER, verify its signature against the
 * root, check validity, import the card key and verify the challenge signature (PKCS#1 v1.5 /
 * SHA-256) — a CRL index lookup, and the J-LIS validity service's work (lookup + signing the answer).
 * Each sample is the median of three runs (preemption on a shared machine is not service). The
 * results are quantile tables (21 points, 0th…100th percentile by 5) that the run records; the
 * model then depends on them only, so a pinned table reproduces a run exactly on any machine.
 * @module
 */
import { createPublicKey, randomBytes, sign, verify } from "node:crypto";
import {
  RevokedEntriesBuilder,
  buildCrl,
  createJpkiRoot,
  generateKey,
  issueAuthenticationCertificate,
  parseCertificate,
  parseCrl,
  verifyCertificateSignature,
  isWithinValidity,
  defaultVerifier,
} from "../pki/index.js";
import { InputError } from "../../engine/errors.js";
import type { PinnedServiceTimes, QuantileTable } from "./params.js";

/** Number of points in a {@link QuantileTable}. */
export const QUANTILE_POINTS = 21;

/** Quantile table (0th, 5th … 100th percentile) of `samples` (ms). */
export function quantileTable(samples: readonly number[]): QuantileTable {
  const s = [...samples].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < QUANTILE_POINTS; i++) {
    const pos = (i / (QUANTILE_POINTS - 1)) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    out.push(s[lo]! + (s[hi]! - s[lo]!) * (pos - lo));
  }
  return out;
}

/** Draw from a quantile table by inverse CDF with linear interpolation; `u` uniform in [0, 1). */
export function sampleQuantile(table: QuantileTable, u: number): number {
  const pos = u * (table.length - 1);
  const i = Math.floor(pos);
  const a = table[i]!;
  const b = table[Math.min(table.length - 1, i + 1)]!;
  return a + (b - a) * (pos - i);
}

/** Mean and squared coefficient of variation of the piecewise-uniform distribution of a table. */
export function tableMoments(table: QuantileTable): { mean: number; scv: number } {
  let m1 = 0;
  let m2 = 0;
  const n = table.length - 1;
  for (let i = 0; i < n; i++) {
    const a = table[i]!;
    const b = table[i + 1]!;
    m1 += (a + b) / 2 / n;
    m2 += (a * a + a * b + b * b) / 3 / n;
  }
  const v = Math.max(0, m2 - m1 * m1);
  return { mean: m1, scv: m1 > 0 ? v / (m1 * m1) : 0 };
}

/** Checks a table: 21 finite, non-negative, non-decreasing numbers. */
export function checkQuantileTable(table: readonly number[], where: string): void {
  if (table.length !== QUANTILE_POINTS)
    throw new InputError(
      `${where}: expected ${QUANTILE_POINTS} quantiles (0th…100th by 5), got ${table.length}`,
    );
  for (let i = 0; i < table.length; i++) {
    const v = table[i]!;
    if (!Number.isFinite(v) || v < 0)
      throw new InputError(`${where}[${i}]: expected a number ≥ 0 (ms), got ${v}`);
    if (i > 0 && v < table[i - 1]!)
      throw new InputError(
        `${where}[${i}]: expected quantiles in non-decreasing order (${v} < ${table[i - 1]})`,
      );
  }
}

/**
 * The median of three back-to-back runs of a timed operation: on a shared machine a run that another
 * process preempted is waiting for a core, not service, and would otherwise become the tail.
 */
export function medianOfThree(op: () => number): number {
  const a = op();
  const b = op();
  const c = op();
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** What the measurement found, as the run records it. */
export interface MeasuredServiceTimes extends PinnedServiceTimes {
  /** "measured" on this machine at the start of the run, or "pinned" by the scenario. */
  source: "measured" | "pinned";
  samples: number;
  /** Entries in the CRL the lookups ran against. */
  crlEntries: number;
}

/** Options of {@link measureServiceTimes}. */
export interface MeasureOptions {
  samples?: number;
  crlEntries?: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Measures the verification path's service times with real crypto (a few hundred ms). */
export function measureServiceTimes(o: MeasureOptions = {}): MeasuredServiceTimes {
  const samples = o.samples ?? 400;
  const crlEntries = o.crlEntries ?? 50_000;
  const issuedAt = Date.UTC(2025, 0, 6, 0, 0, 0);
  const rootKey = generateKey("rsa2048");
  const root = createJpkiRoot({ kind: "auth", signer: rootKey.signer, notBefore: issuedAt - 86_400_000 });
  const cardKey = generateKey("rsa2048");
  const spki = new Uint8Array(cardKey.publicKey.export({ type: "spki", format: "der" }));
  const certDer = issueAuthenticationCertificate({ issuer: root, spki, issuedAt, birthDate: "1980-04-01" });
  const b = new RevokedEntriesBuilder(16, crlEntries + 1);
  for (let i = 0; i < crlEntries; i++) b.add(new Uint8Array(randomBytes(16)), issuedAt, 1);
  const crl = parseCrl(
    buildCrl(
      {
        issuer: root.name,
        authorityKeyId: root.keyId,
        thisUpdate: issuedAt,
        nextUpdate: issuedAt + 86_400_000,
        crlNumber: 1,
        entries: b.build(),
      },
      rootKey.signer,
    ),
    { issuerSpki: root.certificate.spki },
  );
  const at = issuedAt + 3_600_000;

  const fail = (): never => {
    throw new Error("measurement: a real check failed");
  };
  const platform = (): number => {
    const challenge = randomBytes(32);
    const signature = sign("sha256", challenge, cardKey.privateKey); // the card's part, not timed
    const t0 = nowMs();
    const cert = parseCertificate(certDer);
    const chainOk = verifyCertificateSignature(cert, root.certificate.spki, defaultVerifier);
    const key = createPublicKey({ key: Buffer.from(cert.spki), format: "der", type: "spki" });
    const ok = chainOk && isWithinValidity(cert, at) && verify("sha256", challenge, key, signature);
    const dt = nowMs() - t0;
    return ok ? dt : fail();
  };
  const lookup = (): number => {
    const serial = new Uint8Array(randomBytes(16));
    const t0 = nowMs();
    // One lookup is sub-microsecond: time 64 and divide, so the timer's resolution does not dominate.
    let hits = 0;
    for (let k = 0; k < 64; k++) if (crl.entries.has(serial)) hits++;
    const dt = (nowMs() - t0) / 64;
    return hits === 0 ? dt : fail();
  };
  const jlis = (): number => {
    const serial = new Uint8Array(randomBytes(16));
    const t0 = nowMs();
    const revoked = crl.entries.has(serial);
    const answer = Buffer.concat([Buffer.from(serial), Buffer.of(revoked ? 1 : 0)]);
    const sig = sign("sha256", answer, rootKey.privateKey);
    const dt = nowMs() - t0;
    return sig.length === 256 ? dt : fail();
  };
  const platformMs: number[] = [];
  const crlLookupMs: number[] = [];
  const jlisMs: number[] = [];
  // Warm-up, then the measured samples.
  for (let i = 0; i < 30; i++) {
    platform();
    lookup();
    jlis();
  }
  for (let i = 0; i < samples; i++) {
    platformMs.push(medianOfThree(platform));
    crlLookupMs.push(medianOfThree(lookup));
    jlisMs.push(medianOfThree(jlis));
  }
  return {
    source: "measured",
    samples,
    crlEntries,
    platformMs: quantileTable(platformMs),
    crlLookupMs: quantileTable(crlLookupMs),
    jlisMs: quantileTable(jlisMs),
  };
}

/** The run's service times: pinned by the scenario, or measured now. */
export function resolveServiceTimes(
  pinned: PinnedServiceTimes | undefined,
  samples?: number,
): MeasuredServiceTimes {
  if (pinned) {
    checkQuantileTable(pinned.platformMs, "auth.serviceTimes.platformMs");
    checkQuantileTable(pinned.crlLookupMs, "auth.serviceTimes.crlLookupMs");
    checkQuantileTable(pinned.jlisMs, "auth.serviceTimes.jlisMs");
    return { source: "pinned", samples: 0, crlEntries: 0, ...pinned };
  }
  return measureServiceTimes({ samples });
}
