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
import { verify } from "node:crypto";
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
  let key: KeyObject;
  try {
    key = importPublicKey(cert.spki);
  } catch (e) {
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: `certificate public key unusable: ${(e as Error).message}`,
    };
  }
  if (key.asymmetricKeyType !== "rsa")
    return {
      outcome: "untrusted_certificate",
      serial,
      detail: "certificate key is not RSA (the card signs with RSA-2048)",
    };
  if (!safeVerify(challenge, key, signature))
    return {
      outcome: "bad_signature",
      serial,
      detail: "signature is not the certificate key's PKCS#1 v1.5 SHA-256 signature of the challenge",
    };
  return { outcome: "ok", serial, detail: "" };
}
