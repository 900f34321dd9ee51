/**
 * CRL v2 writer (RFC 5280 §5.1–5.3; FACTS.md §3.1–3.2; ANCHORS.md §2.5–2.6): full, delta
 * (deltaCRLIndicator) and partitioned (issuingDistributionPoint) CRLs with cRLNumber,
 * authorityKeyIdentifier, per-entry revocationDate and reasonCode. Revoked entries come in as
 * columns of typed arrays ({@link RevokedEntries}) — never one object per entry — and are streamed
 * into one preallocated buffer after an arithmetic sizing pass, so no length is ever patched by a
 * move; then the TBSCertList is signed in place.
 * @module
 */
import { DerWriter, Tag, tlvSize } from "./der-writer.js";
import { PkiError } from "./errors.js";
import type { Extension } from "./extensions.js";
import {
  authorityKeyIdentifier,
  crlNumber,
  deltaCrlIndicator,
  directoryName,
  freshestCrl,
  issuingDistributionPoint,
  writeExtensions,
} from "./extensions.js";
import { appendSignature } from "./certificate-builder.js";
import type { Signer } from "./signer.js";
import { writeAlgorithmIdentifier } from "./signer.js";
import { timeTlvLength, usesUtcTime, writeTimeAt } from "./time.js";

/** CRLReason codes (RFC 5280 §5.3.1). FACTS §3.2 lists the ones J-LIS uses (0–6). */
export const CrlReason = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/** Numeric CRLReason value. */
export type CrlReasonCode = (typeof CrlReason)[keyof typeof CrlReason];

/** Marker in {@link RevokedEntries.reasons}: write no reasonCode extension for this entry. */
export const NO_REASON = 0xff;

/**
 * Whether an entry with this reason gets a reasonCode extension: not for {@link NO_REASON}, and not for
 * `unspecified` (0) — RFC 5280 §5.3.1: "the reason code CRL entry extension SHOULD be absent instead of
 * using the unspecified (0) reasonCode value".
 */
function writesReason(reason: number): boolean {
  return reason !== NO_REASON && reason !== CrlReason.unspecified;
}

/** Columnar revoked-certificate list: entry `i` is serial `serials[i*w .. (i+1)*w)`, etc. */
export interface RevokedEntries {
  readonly count: number;
  /** Bytes per serial; serials are unsigned big-endian, left-padded with zeros. 1–20. */
  readonly serialWidth: number;
  readonly serials: Uint8Array;
  /** revocationDate per entry, epoch ms (floored to the second when written). */
  readonly revocationTimes: Float64Array;
  /** CRLReason per entry, or {@link NO_REASON}; absent = no reason codes at all. `unspecified` is written as no reasonCode. */
  readonly reasons?: Uint8Array;
}

/** Growable builder of {@link RevokedEntries} (amortised O(1) append, typed arrays only). */
export class RevokedEntriesBuilder {
  private serials: Uint8Array;
  private times: Float64Array;
  private reasons: Uint8Array;
  /** Entries appended so far. */
  count = 0;

  constructor(
    readonly serialWidth = 16,
    capacity = 1024,
  ) {
    if (serialWidth < 1 || serialWidth > 20) throw new PkiError("E_PKI_INPUT", "serialWidth must be 1–20");
    this.serials = new Uint8Array(capacity * serialWidth);
    this.times = new Float64Array(capacity);
    this.reasons = new Uint8Array(capacity);
  }

  /** Append one entry; `serial` is an unsigned big-endian magnitude of at most `serialWidth` bytes. */
  add(serial: Uint8Array, revokedAt: number, reason: number = NO_REASON): void {
    let s = 0;
    while (s < serial.length && serial[s] === 0) s++;
    const len = serial.length - s;
    if (len > this.serialWidth)
      throw new PkiError("E_PKI_INPUT", `serial wider than ${this.serialWidth} bytes`);
    if (this.count === this.times.length) this.grow();
    const w = this.serialWidth;
    const base = this.count * w;
    this.serials.fill(0, base, base + w - len);
    this.serials.set(serial.subarray(s), base + w - len);
    this.times[this.count] = revokedAt;
    this.reasons[this.count] = reason;
    this.count++;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const s = new Uint8Array(cap * this.serialWidth);
    s.set(this.serials);
    const t = new Float64Array(cap);
    t.set(this.times);
    const r = new Uint8Array(cap);
    r.set(this.reasons);
    this.serials = s;
    this.times = t;
    this.reasons = r;
  }

  /** The entries so far (views; further `add`s may or may not be visible). */
  build(): RevokedEntries {
    return {
      count: this.count,
      serialWidth: this.serialWidth,
      serials: this.serials.subarray(0, this.count * this.serialWidth),
      revocationTimes: this.times.subarray(0, this.count),
      reasons: this.reasons.subarray(0, this.count),
    };
  }
}

/** What goes into a TBSCertList. */
export interface CrlSpec {
  /** Issuer Name DER (the CA's subject). */
  readonly issuer: Uint8Array;
  /** The CA's subjectKeyIdentifier, written as authorityKeyIdentifier (RFC 5280 §5.2.1: MUST). */
  readonly authorityKeyId: Uint8Array;
  readonly thisUpdate: number | Date;
  /** RFC 5280 §5.1.2.5: conforming CAs MUST include it. */
  readonly nextUpdate: number | Date;
  /** Monotonic cRLNumber (§5.2.3); a delta shares the number sequence of its base. */
  readonly crlNumber: bigint | number;
  readonly entries?: RevokedEntries;
  /** Makes this a delta CRL over the full CRL with this cRLNumber (§5.2.4). */
  readonly deltaBaseCrlNumber?: bigint | number;
  /** Partition name (Name DER): writes a critical issuingDistributionPoint with this fullName (§5.2.5). */
  readonly distributionPoint?: Uint8Array;
  /** issuingDistributionPoint onlyContainsUserCerts (only with `distributionPoint` or on its own). */
  readonly onlyContainsUserCerts?: boolean;
  /** Where delta CRLs are published (Name DER) — freshestCRL (§5.2.6). OpenSSL needs it to apply deltas. */
  readonly freshestCrl?: Uint8Array;
}

/** `Extension { reasonCode, OCTET STRING { ENUMERATED` — the fixed 13 bytes before a CRL entry's reason value. */
export const REASON_EXT_PREFIX = Uint8Array.of(
  0x30,
  0x0c,
  0x30,
  0x0a,
  0x06,
  0x03,
  0x55,
  0x1d,
  0x15,
  0x04,
  0x03,
  0x0a,
  0x01,
);

/** Exact byte size of the revokedCertificates content for `e`. */
export function revokedContentSize(e: RevokedEntries): number {
  const { count, serialWidth: w, serials, revocationTimes: times, reasons } = e;
  if (serials.length < count * w || times.length < count || (reasons && reasons.length < count))
    throw new PkiError("E_PKI_INPUT", "RevokedEntries columns are shorter than count");
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = i * w;
    let s = 0;
    while (s < w - 1 && serials[base + s] === 0) s++;
    const sl = w - s + (serials[base + s]! & 0x80 ? 1 : 0);
    const content = 2 + sl + timeTlvLength(times[i]!) + (reasons && writesReason(reasons[i]!) ? 14 : 0);
    total += 2 + content;
  }
  return total;
}

/** Stream the revoked entries into `w` (room must already be ensured). */
function writeRevoked(w: DerWriter, e: RevokedEntries): void {
  const { count, serialWidth: sw, serials, revocationTimes: times, reasons } = e;
  const buf = w.buf;
  let p = w.pos;
  let lastSec = Number.NaN;
  let lastTimePos = 0;
  let lastTimeLen = 0;
  for (let i = 0; i < count; i++) {
    const base = i * sw;
    let s = 0;
    while (s < sw - 1 && serials[base + s] === 0) s++;
    const pad = serials[base + s]! & 0x80 ? 1 : 0;
    const sl = sw - s + pad;
    const ms = times[i]!;
    const tl = usesUtcTime(ms) ? 15 : 17;
    const given = reasons ? reasons[i]! : NO_REASON;
    if (given !== NO_REASON && (given > 10 || given === 7))
      throw new PkiError(
        "E_PKI_INPUT",
        `bad CRLReason ${given} at entry ${i} (RFC 5280 §5.3.1: 0–10 except 7)`,
      );
    const reason = writesReason(given) ? given : NO_REASON;
    buf[p] = 0x30;
    buf[p + 1] = 2 + sl + tl + (reason !== NO_REASON ? 14 : 0);
    buf[p + 2] = 0x02;
    buf[p + 3] = sl;
    p += 4;
    if (pad) buf[p++] = 0;
    for (let k = base + s, end = base + sw; k < end; k++) buf[p++] = serials[k]!;
    const sec = Math.floor(ms / 1000);
    if (sec === lastSec) {
      buf.copyWithin(p, lastTimePos, lastTimePos + lastTimeLen);
      p += lastTimeLen;
    } else {
      lastTimePos = p;
      p = writeTimeAt(buf, p, ms);
      lastTimeLen = p - lastTimePos;
      lastSec = sec;
    }
    if (reason !== NO_REASON) {
      buf.set(REASON_EXT_PREFIX, p);
      buf[p + 13] = reason;
      p += 14;
    }
  }
  w.pos = p;
}

/**
 * Build and sign a CRL. Returns its DER as a view over the writer's buffer (no final copy, so a
 * 500 MB CRL is not duplicated).
 */
export function buildCrl(spec: CrlSpec, signer: Signer): Uint8Array {
  const exts: Extension[] = [authorityKeyIdentifier(spec.authorityKeyId), crlNumber(spec.crlNumber)];
  if (spec.deltaBaseCrlNumber !== undefined) exts.push(deltaCrlIndicator(spec.deltaBaseCrlNumber));
  if (spec.distributionPoint !== undefined || spec.onlyContainsUserCerts)
    exts.push(
      issuingDistributionPoint({
        ...(spec.distributionPoint ? { fullName: [directoryName(spec.distributionPoint)] } : {}),
        onlyContainsUserCerts: spec.onlyContainsUserCerts ?? false,
      }),
    );
  if (spec.freshestCrl !== undefined) exts.push(freshestCrl([[directoryName(spec.freshestCrl)]]));
  const entries = spec.entries && spec.entries.count > 0 ? spec.entries : undefined;
  const revokedSize = entries ? revokedContentSize(entries) : 0;
  const tbsHint =
    revokedSize + (entries ? tlvSize(revokedSize) - revokedSize : 0) + 64 + spec.issuer.length + 400;
  const w = new DerWriter(tlvSize(tbsHint) + 1024);
  w.begin(Tag.SEQUENCE, tbsHint + 600);
  const tbsStart = w.pos;
  w.begin(Tag.SEQUENCE, tbsHint);
  w.integer(1); // v2
  writeAlgorithmIdentifier(w, signer.algorithm);
  w.raw(spec.issuer);
  w.time(spec.thisUpdate);
  w.time(spec.nextUpdate);
  if (entries) {
    w.begin(Tag.SEQUENCE, revokedSize);
    w.ensure(revokedSize);
    writeRevoked(w, entries);
    w.end();
  }
  writeExtensions(w, exts, 0);
  w.end();
  appendSignature(w, tbsStart, signer);
  return w.finish();
}
