/**
 * X.509 v3 certificate writer (RFC 5280 §4.1): TBSCertificate streamed into one buffer, signed with
 * the caller's {@link Signer}, wrapped as `Certificate ::= SEQUENCE { tbs, signatureAlgorithm,
 * signatureValue }`. Profile decisions (which extensions) live in jpki-profiles.ts.
 * @module
 */
import { randomBytes } from "node:crypto";
import { DerWriter, Tag, contextTag } from "./der-writer.js";
import { PkiError } from "./errors.js";
import type { Extension } from "./extensions.js";
import { writeExtensions } from "./extensions.js";
import type { Signer } from "./signer.js";
import { writeAlgorithmIdentifier } from "./signer.js";

/** What goes into a TBSCertificate. Names and the SPKI are pre-encoded DER. */
export interface CertificateSpec {
  /** Positive serial, unsigned big-endian magnitude, ≤ 20 octets (RFC 5280 §4.1.2.2). */
  readonly serial: Uint8Array;
  /** Issuer Name DER. */
  readonly issuer: Uint8Array;
  /** Subject Name DER. */
  readonly subject: Uint8Array;
  /** Start of validity (epoch ms or Date; floored to the second). */
  readonly notBefore: number | Date;
  /** End of validity, inclusive. */
  readonly notAfter: number | Date;
  /** SubjectPublicKeyInfo DER of the subject key. */
  readonly spki: Uint8Array;
  /** Extensions in order of appearance. */
  readonly extensions: readonly Extension[];
}

/**
 * A random positive serial of `bytes` octets (default 16: 127 bits of entropy, first octet 0x01–0x7f so
 * the DER INTEGER has exactly `bytes` octets and no sign padding).
 */
export function randomSerial(bytes = 16): Uint8Array {
  const s = new Uint8Array(randomBytes(bytes));
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

/** Serial magnitude bytes from a non-negative bigint. */
export function serialFromBigInt(n: bigint): Uint8Array {
  if (n < 0n) throw new PkiError("E_PKI_INPUT", "serial must be non-negative");
  const hex = n.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex"));
}

function checkSerial(serial: Uint8Array): void {
  let s = 0;
  while (s < serial.length && serial[s] === 0) s++;
  if (s === serial.length) throw new PkiError("E_PKI_INPUT", "serial must be positive (RFC 5280 §4.1.2.2)");
  const encoded = serial.length - s + ((serial[s]! & 0x80) !== 0 ? 1 : 0);
  if (encoded > 20)
    throw new PkiError("E_PKI_INPUT", `serial encodes to ${encoded} octets; RFC 5280 allows 20`);
}

/** Sign `tbs` (already in `w` from `tbsStart`) and finish the outer SEQUENCE opened before it. */
export function appendSignature(w: DerWriter, tbsStart: number, signer: Signer): void {
  const sig = signer.sign(w.buf.subarray(tbsStart, w.pos));
  writeAlgorithmIdentifier(w, signer.algorithm);
  w.bitString(sig);
  w.end();
}

/** Build and sign a certificate; returns its DER (an exact-size copy). */
export function buildCertificate(spec: CertificateSpec, signer: Signer): Uint8Array {
  checkSerial(spec.serial);
  const nb = typeof spec.notBefore === "number" ? spec.notBefore : spec.notBefore.getTime();
  const na = typeof spec.notAfter === "number" ? spec.notAfter : spec.notAfter.getTime();
  if (!(na >= nb)) throw new PkiError("E_PKI_INPUT", "notAfter is before notBefore");
  const w = new DerWriter(2048);
  w.begin(Tag.SEQUENCE, 1500);
  const tbsStart = w.pos;
  w.begin(Tag.SEQUENCE, 1200);
  w.begin(contextTag(0, true));
  w.integer(2); // v3
  w.end();
  w.unsigned(spec.serial);
  writeAlgorithmIdentifier(w, signer.algorithm);
  w.raw(spec.issuer);
  w.begin(Tag.SEQUENCE);
  w.time(nb);
  w.time(na);
  w.end();
  w.raw(spec.subject);
  w.raw(spec.spki);
  writeExtensions(w, spec.extensions, 3);
  w.end();
  appendSignature(w, tbsStart, signer);
  return w.finishCopy();
}
