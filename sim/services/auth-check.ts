/**
 * The relying party's check of one JPKI authentication answer (FACTS.md §2.5–§2.6; RFC 5280 §6 for
 * a one-level path): the certificate must parse, be signed by the J-LIS authentication root with
 * sha256WithRSAEncryption and name it as issuer (else `untrusted_certificate`), be within its
 * validity at `at` (else `expired`), and the signature must be the RSASSA-PKCS1-v1_5 SHA-256
 * signature of the challenge bytes — exactly what the card's COMPUTE DIGITAL SIGNATURE returns over
 * the SHA-256 DigestInfo (else `bad_signature`). Revocation is checked by the caller in the CA
 * directory's CRL index (ca-directory.ts), on the main thread where the CRLs are reloaded. Runs on
 * the verification pool (verify-pool.ts) or in-thread.
 * @module
 */
import type { KeyObject } from "node:crypto";
import { createPublicKey, verify } from "node:crypto";
import { importPublicKey } from "../crypto/algorithms.js";
import type { CertificateView } from "../pki/index.js";
import { bytesEqual, parseCertificate } from "../pki/index.js";

/** What the pool decides; `revoked` is added by the caller. */
export type CheckOutcome = "ok" | "untrusted_certificate" | "expired" | "bad_signature";

export interface CheckResult {
  readonly outcome: CheckOutcome;
  /** Serial INTEGER content octets (empty when the certificate did not parse). */
  readonly serial: Uint8Array;
  /** Why, for the log and the message. */
  readonly detail: string;
}

/** The root's parse and public key, made once per thread. */
export interface TrustAnchor {
  readonly root: CertificateView;
  readonly key: KeyObject;
}

export function trustAnchorOf(rootDer: Uint8Array): TrustAnchor {
  const root = parseCertificate(rootDer);
  return { root, key: importPublicKey(root.spki) };
}

/** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } (RFC 3279 §2.3.1). */
const RSA_ALGORITHM = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
);

/** A DER TLV at `p`: its tag, the start and end of its value; undefined when malformed. */
function tlv(b: Uint8Array, p: number, end: number): { tag: number; start: number; end: number } | undefined {
  if (p + 2 > end) return undefined;
  const tag = b[p]!;
  let len = b[p + 1]!;
  let q = p + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || q + n > end) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[q++]!;
  }
  if (q + len > end) return undefined;
  return { tag, start: q, end: q + len };
}

const b64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64url");

/**
 * The RSA public key of a SubjectPublicKeyInfo, imported as a JWK (modulus and exponent read here):
 * node's DER/SPKI import goes through OpenSSL 3's decoder framework and costs ≈0.4 ms a key on this
 * machine, the JWK import ≈0.015 ms — a card's key is new on almost every request, so this was the
 * service's largest single cost. Undefined when `spki` is not an RSA SubjectPublicKeyInfo.
 */
export function rsaPublicKeyOf(spki: Uint8Array): KeyObject | undefined {
  const outer = tlv(spki, 0, spki.length);
  if (!outer || outer.tag !== 0x30 || outer.end !== spki.length) return undefined;
  const a = outer.start;
  if (a + RSA_ALGORITHM.length > outer.end) return undefined;
  for (let i = 0; i < RSA_ALGORITHM.length; i++) if (spki[a + i] !== RSA_ALGORITHM[i]) return undefined;
  const bits = tlv(spki, a + RSA_ALGORITHM.length, outer.end);
  if (!bits || bits.tag !== 0x03 || bits.end !== outer.end || spki[bits.start] !== 0) return undefined;
  const seq = tlv(spki, bits.start + 1, bits.end);
  if (!seq || seq.tag !== 0x30 || seq.end !== bits.end) return undefined;
  const n = tlv(spki, seq.start, seq.end);
  if (!n || n.tag !== 0x02) return undefined;
  const e = tlv(spki, n.end, seq.end);
  if (!e || e.tag !== 0x02 || e.end !== seq.end) return undefined;
  let ns = n.start;
  while (ns < n.end - 1 && spki[ns] === 0) ns++;
  let es = e.start;
  while (es < e.end - 1 && spki[es] === 0) es++;
  try {
    return createPublicKey({
      key: { kty: "RSA", n: b64url(spki.subarray(ns, n.end)), e: b64url(spki.subarray(es, e.end)) },
      format: "jwk",
    });
  } catch {
    return undefined;
  }
}

function safeVerify(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify("sha256", data, key, signature);
  } catch {
    return false;
  }
}

const EMPTY = new Uint8Array(0);

/** Checks a card's answer to `challenge` at `at` (epoch ms). Never throws. */
export function checkAuthAnswer(
  anchor: TrustAnchor,
  certificate: Uint8Array,
  challenge: Uint8Array,
  signature: Uint8Array,
  at: number,
): CheckResult {
  let cert: CertificateView;
  try {
    cert = parseCertificate(certificate);
  } catch (e) {
    return {
      outcome: "untrusted_certificate",
      serial: EMPTY,
      detail: `certificate does not parse: ${(e as Error).message}`,
    };
  }
  const serial = cert.serial;
  if (!bytesEqual(cert.issuer, anchor.root.subject))
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: "certificate is not issued by the J-LIS authentication root",
    };
  if (cert.signatureAlgorithm !== "sha256WithRSAEncryption")
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: `certificate signature algorithm ${cert.signatureAlgorithmOid} is not sha256WithRSAEncryption`,
    };
  if (!safeVerify(cert.tbs, anchor.key, cert.signature))
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: "certificate signature does not verify with the J-LIS authentication root's key",
    };
  if (at < cert.notBefore || at > cert.notAfter)
    return {
      outcome: "expired",
      serial,
      detail: `certificate valid ${new Date(cert.notBefore).toISOString()} to ${new Date(cert.notAfter).toISOString()}, not at ${new Date(at).toISOString()}`,
    };
  const key = rsaPublicKeyOf(cert.spki);
  if (key === undefined)
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: "certificate key is not an RSA public key (the card signs with RSA-2048)",
    };
  if (!safeVerify(challenge, key, signature))
    return {
      outcome: "bad_signature",
      serial,
      detail: "signature is not the certificate key's PKCS#1 v1.5 SHA-256 signature of the challenge",
    };
  return { outcome: "ok", serial, detail: "" };
}
