/**
 * A self-contained JPKI certificate and revocation set that anyone can check with OpenSSL
 * (DESIGN.md §5 pki/ — "everything it writes must be accepted by OpenSSL"; FACTS.md §1.2–1.4 roots
 * and certificates, §3.1–3.2 CRLs and reason codes; RFC 5280 §5 CRL v2):
 *
 * - the two J-LIS demo roots (signature, user authentication), PEM and DER;
 * - N demo residents' cards: a signature and an authentication certificate each (PEM); every
 *   certificate's CRL distribution point names its partition (`serial mod P`, sim/pki
 *   `serialPartition`), so OpenSSL can pick the partitioned CRL as well as the full one;
 * - per root: a full CRL padded with filler serials to K entries, a delta CRL over it (RFC 5280
 *   §5.2.4; the full CRL carries freshestCRL so `openssl verify -use_deltas` applies it — together
 *   with `-extended_crl`, without which OpenSSL 3.0 takes the newer delta for a complete CRL,
 *   openssl/openssl#31040), and the
 *   partitioned set — the full CRL's entries split by partition, each CRL with a critical
 *   issuingDistributionPoint (§5.2.5) — all DER and PEM;
 * - `manifest.json` naming every file, its format and role, and every certificate's revocation.
 *
 * Revocation of the first M cards follows the JPKI triggers (FACTS.md §3.2): card 1 is lost (both
 * certificates, keyCompromise), card 2 moves (signature certificate only, affiliationChanged — the
 * auth certificate survives a move), card 3 dies (both, cessationOfOperation), then round again.
 * When M ≥ 2 the last revoked card is revoked after the full CRL was signed, so it appears only in
 * the delta. Filler serials come from a seeded stream and are checked against every exported serial;
 * filler reasons follow an illustrative mix (not a published one). Residents and fillers are
 * deterministic in the seed; keys, certificate serials and signatures are fresh every time.
 * @module
 */
import { createHash } from "node:crypto";
import { InputError } from "../../engine/errors.js";
import { RandomStreams } from "../../engine/random/index.js";
import type { RunFiles } from "../../engine/run-output/run-claim.js";
import {
  CrlReason,
  buildCrl,
  crlPartitionName,
  formatName,
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  parseCertificate,
  partitionLabel,
  randomSerial,
  serialPartition,
  toHex,
} from "../pki/index.js";
import type { CrlReasonCode, JpkiCertKind, RevokedEntries } from "../pki/index.js";
import { certProfileOf, createDemoRoots } from "./demo-card.js";
import type { DemoRoots } from "./demo-card.js";
import { generateKeyPairs, spkiOf } from "./keys.js";
import type { KeyProfile } from "./keys.js";
import { pemBytes, pemOf } from "../pki/pem.js";
import { demoResident } from "./resident.js";

/** Options of {@link buildPkiExport}. */
export interface PkiExportOptions {
  /** Number of cards (1 … {@link LIMITS}.cards). */
  readonly cards: number;
  /** Number of revoked cards, 0 … cards. */
  readonly revoke: number;
  /** Entries of each full CRL after padding with filler serials (0 = no filler). */
  readonly crlEntries: number;
  /** Seed of residents and filler. */
  readonly seed: number;
  /** Key and certificate profile: RSA-2048/SHA-256 (current) or ECDSA P-384/SHA-384 (next generation). */
  readonly profile: KeyProfile;
  /** Number of CRL partitions (1 … {@link LIMITS}.partitions). */
  readonly partitions: number;
  /** Export instant (epoch ms); the CRLs' thisUpdate is derived from it. */
  readonly now: number;
}

/** Upper bounds of the options (memory: ≈0.45 GB per million CRL entries, both roots together). */
export const LIMITS = { cards: 1000, crlEntries: 5_000_000, partitions: 256 } as const;

/** @throws InputError with one message naming the first bad option */
export function checkPkiExportOptions(o: PkiExportOptions): void {
  const bad = (m: string): never => {
    throw new InputError(`pki export: ${m}`, "E_JPKI_INPUT");
  };
  if (!Number.isInteger(o.cards) || o.cards < 1 || o.cards > LIMITS.cards)
    bad(`--cards must be 1–${LIMITS.cards}, got ${o.cards}`);
  if (!Number.isInteger(o.revoke) || o.revoke < 0) bad(`--revoke must be a whole number, got ${o.revoke}`);
  if (o.revoke > o.cards)
    bad(`--revoke ${o.revoke} is more than --cards ${o.cards}: only exported cards can be revoked`);
  if (!Number.isInteger(o.crlEntries) || o.crlEntries < 0 || o.crlEntries > LIMITS.crlEntries)
    bad(`--crl-entries must be 0–${LIMITS.crlEntries}, got ${o.crlEntries}`);
  if (!Number.isInteger(o.partitions) || o.partitions < 1 || o.partitions > LIMITS.partitions)
    bad(`--partitions must be 1–${LIMITS.partitions}, got ${o.partitions}`);
  if (o.profile !== "rsa2048" && o.profile !== "p384")
    bad(`--profile must be rsa2048 or p384, got ${String(o.profile)}`);
}

/** Life event behind a revocation (FACTS.md §3.2 operational triggers). */
export type RevocationEvent = "loss" | "move" | "death";

const EVENTS: ReadonlyArray<{
  event: RevocationEvent;
  kinds: readonly JpkiCertKind[];
  reason: CrlReasonCode;
}> = [
  { event: "loss", kinds: ["sign", "auth"], reason: CrlReason.keyCompromise },
  { event: "move", kinds: ["sign"], reason: CrlReason.affiliationChanged },
  { event: "death", kinds: ["sign", "auth"], reason: CrlReason.cessationOfOperation },
];

const REASON_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(CrlReason).map(([k, v]) => [v, k]),
);

/** Illustrative filler mix per root: [reason, cumulative probability]. */
const FILLER_MIX: Readonly<Record<JpkiCertKind, ReadonlyArray<readonly [number, number]>>> = {
  sign: [
    [CrlReason.affiliationChanged, 0.55],
    [CrlReason.cessationOfOperation, 0.75],
    [CrlReason.superseded, 0.9],
    [CrlReason.keyCompromise, 0.95],
    [CrlReason.unspecified, 1],
  ],
  auth: [
    [CrlReason.cessationOfOperation, 0.6],
    [CrlReason.superseded, 0.85],
    [CrlReason.keyCompromise, 0.95],
    [CrlReason.unspecified, 1],
  ],
};

/** A file of the export as the manifest lists it. */
export interface ManifestFile {
  readonly name: string;
  readonly format: "PEM" | "DER";
  readonly role: "root-certificate" | "end-entity-certificate" | "crl-full" | "crl-delta" | "crl-partition";
  /** Which root the file belongs to. */
  readonly kind: JpkiCertKind;
  readonly bytes: number;
  readonly sha256: string;
  /** For CRLs: number of entries. */
  readonly entries?: number;
  /** For partition CRLs: the partition label. */
  readonly partition?: string;
  /** For certificates: the card number (1-based). */
  readonly card?: number;
}

/** An exported end-entity certificate and its revocation state. */
export interface ManifestCertificate {
  readonly card: number;
  readonly kind: JpkiCertKind;
  /** PEM file name. */
  readonly file: string;
  /** Serial, upper-case hex as OpenSSL prints it. */
  readonly serial: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Partition label its CRL distribution point names. */
  readonly partition: string;
  /** The root file that issued it. */
  readonly issuer: string;
  readonly revoked: null | {
    readonly event: RevocationEvent;
    readonly reason: string;
    readonly reasonCode: number;
    readonly revokedAt: string;
    /** `full` (full + its partition) or `delta` (delta CRL only). */
    readonly listedIn: "full" | "delta";
  };
}

/** The manifest.json document. */
export interface PkiManifest {
  readonly tool: "myna-twin";
  readonly kind: "pki-export";
  readonly command?: string;
  readonly createdAt: string;
  readonly options: Omit<PkiExportOptions, "now">;
  readonly certificateProfile: string;
  readonly crls: {
    readonly thisUpdate: string;
    readonly nextUpdate: string;
    readonly deltaThisUpdate: string;
    readonly fullCrlNumber: number;
    readonly deltaCrlNumber: number;
    readonly fillerEntriesPerRoot: Readonly<Record<JpkiCertKind, number>>;
  };
  readonly files: ManifestFile[];
  readonly certificates: ManifestCertificate[];
  readonly checks: string[];
}

/** The export: file contents keyed by name (manifest.json included), and the manifest. */
export interface PkiExport {
  readonly files: RunFiles;
  readonly manifest: PkiManifest;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FULL_CRL_NUMBER = 100;
const SERIAL_WIDTH = 16;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

interface RealRevocation {
  serial: Uint8Array;
  at: number;
  reason: number;
  delta: boolean;
}

/** Columns for `count` entries. */
function columns(count: number): { serials: Uint8Array; times: Float64Array; reasons: Uint8Array } {
  return {
    serials: new Uint8Array(count * SERIAL_WIDTH),
    times: new Float64Array(count),
    reasons: new Uint8Array(count),
  };
}

function putSerial(dst: Uint8Array, i: number, serial: Uint8Array): void {
  dst.fill(0, i * SERIAL_WIDTH, (i + 1) * SERIAL_WIDTH - serial.length);
  dst.set(serial, (i + 1) * SERIAL_WIDTH - serial.length);
}

/**
 * Full-CRL entries of one root: the real (non-delta) revocations first, then filler up to `target`.
 * Filler serials are 16 random bytes (first octet 01–7F, like `randomSerial`) that match no exported
 * certificate serial.
 */
function fullEntries(
  kind: JpkiCertKind,
  real: readonly RealRevocation[],
  exported: readonly Uint8Array[],
  target: number,
  seed: number,
  fillerFrom: number,
  fillerTo: number,
): { entries: RevokedEntries; filler: number } {
  const base = real.filter((r) => !r.delta);
  const filler = Math.max(0, target - base.length);
  const count = base.length + filler;
  const c = columns(count);
  base.forEach((r, i) => {
    putSerial(c.serials, i, r.serial);
    c.times[i] = r.at;
    c.reasons[i] = r.reason;
  });
  // Exported serials are 16 bytes; a filler is compared in full only when its first word matches one.
  const taken = new Set(exported.map((s) => toHex(s)));
  const word = (b: Uint8Array, o: number): number =>
    ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  const takenWords = new Set(exported.filter((s) => s.length === SERIAL_WIDTH).map((s) => word(s, 0)));
  const clash = (b: Uint8Array, o: number): boolean =>
    takenWords.has(word(b, o)) && taken.has(toHex(b.subarray(o, o + SERIAL_WIDTH)));
  const rng = new RandomStreams(seed).stream(`jpki.crl-filler.${kind}`);
  const mix = FILLER_MIX[kind];
  const span = Math.floor((fillerTo - fillerFrom) / 1000);
  const s = c.serials;
  for (let i = base.length; i < count; i++) {
    const o = i * SERIAL_WIDTH;
    for (;;) {
      for (let k = 0; k < SERIAL_WIDTH; k += 4) {
        const w = rng.nextUint32();
        s[o + k] = w >>> 24;
        s[o + k + 1] = (w >>> 16) & 0xff;
        s[o + k + 2] = (w >>> 8) & 0xff;
        s[o + k + 3] = w & 0xff;
      }
      s[o] = (s[o]! & 0x7f) | 0x01;
      if (!clash(s, o)) break;
    }
    c.times[i] = fillerFrom + rng.int(span) * 1000;
    const u = rng.next();
    let reason = mix[mix.length - 1]![0];
    for (const [code, cum] of mix) {
      if (u < cum) {
        reason = code;
        break;
      }
    }
    c.reasons[i] = reason;
  }
  return {
    entries: {
      count,
      serialWidth: SERIAL_WIDTH,
      serials: c.serials,
      revocationTimes: c.times,
      reasons: c.reasons,
    },
    filler,
  };
}

/** Split entries by `serial mod partitions`. */
function partitionEntries(e: RevokedEntries, partitions: number): RevokedEntries[] {
  const part = new Uint16Array(e.count);
  const sizes = new Uint32Array(partitions);
  for (let i = 0; i < e.count; i++) {
    const p = serialPartition(e.serials.subarray(i * SERIAL_WIDTH, (i + 1) * SERIAL_WIDTH), partitions);
    part[i] = p;
    sizes[p]!++;
  }
  const cols = Array.from(sizes, (n) => columns(n));
  const fill = new Uint32Array(partitions);
  for (let i = 0; i < e.count; i++) {
    const p = part[i]!;
    const j = fill[p]!++;
    const c = cols[p]!;
    c.serials.set(e.serials.subarray(i * SERIAL_WIDTH, (i + 1) * SERIAL_WIDTH), j * SERIAL_WIDTH);
    c.times[j] = e.revocationTimes[i]!;
    c.reasons[j] = e.reasons![i]!;
  }
  return cols.map((c, p) => ({
    count: sizes[p]!,
    serialWidth: SERIAL_WIDTH,
    serials: c.serials,
    revocationTimes: c.times,
    reasons: c.reasons,
  }));
}

const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/**
 * Build the whole export in memory. RSA key generation (2 per card + 2 roots, ≈160 ms each) runs in
 * parallel on libuv's thread pool.
 * @throws InputError on bad options (see {@link checkPkiExportOptions})
 */
export async function buildPkiExport(o: PkiExportOptions, command?: string): Promise<PkiExport> {
  checkPkiExportOptions(o);
  const T = Math.floor(o.now / 1000) * 1000;
  const issuedAt = T - 30 * DAY;
  const profile = certProfileOf(o.profile);
  const [roots, cardKeys] = await Promise.all([
    createDemoRoots(o.profile, issuedAt) as Promise<DemoRoots>,
    generateKeyPairs(o.profile, 2 * o.cards),
  ]);
  const files: RunFiles = {};
  const listed: ManifestFile[] = [];
  const add = (
    name: string,
    content: string | Uint8Array,
    meta: Omit<ManifestFile, "name" | "bytes" | "sha256" | "format">,
  ): void => {
    files[name] = content;
    listed.push({
      name,
      format: name.endsWith(".pem") ? "PEM" : "DER",
      ...meta,
      bytes: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength,
      sha256: sha256Hex(content),
    });
  };
  const kinds: readonly JpkiCertKind[] = ["sign", "auth"];
  for (const kind of kinds) {
    const root = roots[kind];
    add(`${kind}-root.pem`, pemOf("CERTIFICATE", root.der), { role: "root-certificate", kind });
    add(`${kind}-root.der`, root.der, { role: "root-certificate", kind });
  }

  const baseAt = T - 2 * HOUR;
  const deltaAt = T - 30 * 60_000;
  const real: Record<JpkiCertKind, RealRevocation[]> = { sign: [], auth: [] };
  const exported: Record<JpkiCertKind, Uint8Array[]> = { sign: [], auth: [] };
  const certificates: ManifestCertificate[] = [];
  for (let i = 0; i < o.cards; i++) {
    const r = demoResident(o.seed, i);
    const revoked = i < o.revoke ? EVENTS[i % EVENTS.length]! : undefined;
    const inDelta = revoked !== undefined && o.revoke >= 2 && i === o.revoke - 1;
    for (const kind of kinds) {
      const key = cardKeys[2 * i + (kind === "sign" ? 0 : 1)]!;
      const serial = randomSerial(SERIAL_WIDTH);
      const partition = partitionLabel(serialPartition(serial, o.partitions));
      const common = {
        issuer: roots[kind],
        spki: spkiOf(key),
        issuedAt,
        birthDate: r.birthDate,
        profile,
        serial,
        crlPartition: partition,
      };
      const der =
        kind === "sign"
          ? issueSignatureCertificate({
              ...common,
              facts: {
                name: r.name,
                address: r.address,
                birthDate: r.birthDate,
                sex: r.sex === "1" ? 1 : r.sex === "2" ? 2 : 3,
                prefecture: r.prefecture,
                municipality: r.municipality,
              },
            })
          : issueAuthenticationCertificate(common);
      const view = parseCertificate(der);
      const file = `card-${String(i + 1).padStart(4, "0")}-${kind}.pem`;
      add(file, pemOf("CERTIFICATE", der), { role: "end-entity-certificate", kind, card: i + 1 });
      exported[kind].push(serial);
      const hit = revoked?.kinds.includes(kind) ? revoked : undefined;
      const at = inDelta ? deltaAt : baseAt;
      if (hit) real[kind].push({ serial, at, reason: hit.reason, delta: inDelta });
      certificates.push({
        card: i + 1,
        kind,
        file,
        serial: toHex(serial).replaceAll(" ", "").toUpperCase(),
        subject: formatName(view.subject),
        notBefore: iso(view.notBefore),
        notAfter: iso(view.notAfter),
        partition,
        issuer: `${kind}-root.pem`,
        revoked: hit
          ? {
              event: hit.event,
              reason: REASON_NAMES[hit.reason]!,
              reasonCode: hit.reason,
              revokedAt: iso(at),
              listedIn: inDelta ? "delta" : "full",
            }
          : null,
      });
    }
  }

  const thisUpdate = T - HOUR;
  const nextUpdate = T + DAY;
  const fillerPerRoot: Record<JpkiCertKind, number> = { sign: 0, auth: 0 };
  for (const kind of kinds) {
    const root = roots[kind];
    const common = { issuer: root.name, authorityKeyId: root.keyId, nextUpdate };
    const { entries, filler } = fullEntries(
      kind,
      real[kind],
      exported[kind],
      o.crlEntries,
      o.seed,
      T - 5 * 365 * DAY,
      T - DAY,
    );
    fillerPerRoot[kind] = filler;
    const deltaName = crlPartitionName(kind, "delta");
    const full = buildCrl(
      { ...common, thisUpdate, crlNumber: FULL_CRL_NUMBER, entries, freshestCrl: deltaName },
      root.signer,
    );
    add(`${kind}-crl-full.der`, full, { role: "crl-full", kind, entries: entries.count });
    add(`${kind}-crl-full.pem`, pemBytes("X509 CRL", full), {
      role: "crl-full",
      kind,
      entries: entries.count,
    });

    const d = real[kind].filter((r) => r.delta);
    const dc = columns(d.length);
    d.forEach((r, i) => {
      putSerial(dc.serials, i, r.serial);
      dc.times[i] = r.at;
      dc.reasons[i] = r.reason;
    });
    const delta = buildCrl(
      {
        ...common,
        thisUpdate: T,
        crlNumber: FULL_CRL_NUMBER + 1,
        deltaBaseCrlNumber: FULL_CRL_NUMBER,
        entries: {
          count: d.length,
          serialWidth: SERIAL_WIDTH,
          serials: dc.serials,
          revocationTimes: dc.times,
          reasons: dc.reasons,
        },
      },
      root.signer,
    );
    add(`${kind}-crl-delta.der`, delta, { role: "crl-delta", kind, entries: d.length });
    add(`${kind}-crl-delta.pem`, pemBytes("X509 CRL", delta), { role: "crl-delta", kind, entries: d.length });

    partitionEntries(entries, o.partitions).forEach((pe, p) => {
      const label = partitionLabel(p);
      const der = buildCrl(
        {
          ...common,
          thisUpdate,
          crlNumber: FULL_CRL_NUMBER,
          entries: pe,
          distributionPoint: crlPartitionName(kind, label),
          onlyContainsUserCerts: true,
        },
        root.signer,
      );
      const meta = { role: "crl-partition", kind, entries: pe.count, partition: label } as const;
      add(`${kind}-crl-${label}.der`, der, meta);
      add(`${kind}-crl-${label}.pem`, pemBytes("X509 CRL", der), meta);
    });
  }

  const manifest: PkiManifest = {
    tool: "myna-twin",
    kind: "pki-export",
    ...(command !== undefined ? { command } : {}),
    createdAt: iso(T),
    options: {
      cards: o.cards,
      revoke: o.revoke,
      crlEntries: o.crlEntries,
      seed: o.seed,
      profile: o.profile,
      partitions: o.partitions,
    },
    certificateProfile:
      profile === "current"
        ? "current card: RSA-2048, sha256WithRSAEncryption, valid to the 5th birthday (FACTS.md §1.1, §1.4)"
        : "next-generation card: ECDSA P-384, ecdsa-with-SHA384, valid to the 10th birthday (FACTS.md §1.6)",
    crls: {
      thisUpdate: iso(thisUpdate),
      nextUpdate: iso(nextUpdate),
      deltaThisUpdate: iso(T),
      fullCrlNumber: FULL_CRL_NUMBER,
      deltaCrlNumber: FULL_CRL_NUMBER + 1,
      fillerEntriesPerRoot: fillerPerRoot,
    },
    files: listed,
    certificates,
    checks: [
      "openssl verify -crl_check -CAfile sign-root.pem -CRLfile sign-crl-full.pem card-0001-sign.pem",
      "openssl verify -crl_check -extended_crl -use_deltas -CAfile sign-root.pem -CRLfile sign-crl-full.pem -CRLfile sign-crl-delta.pem card-0002-sign.pem",
      "openssl verify -crl_check -CAfile auth-root.pem -CRLfile auth-crl-<partition of the certificate>.pem card-0001-auth.pem",
      "openssl crl -inform DER -in sign-crl-full.der -noout -CAfile sign-root.pem",
      "note: with -use_deltas pass -extended_crl too: without it OpenSSL 3.0 scores a delta CRL as a complete CRL and, the delta being newer, uses it alone (openssl/openssl#31040)",
    ],
  };
  files["manifest.json"] = `${JSON.stringify(manifest, null, 2)}\n`;
  return { files, manifest };
}
