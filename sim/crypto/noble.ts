/**
 * The same signature schemes on @noble/curves (pure TypeScript), for cross-checking node:crypto and
 * as the portable baseline in bench/crypto.ts (DESIGN.md §6: noble serves the browser and
 * cross-checks; hot paths stay on node:crypto). ECDSA and Ed25519 only — noble has no RSA.
 *
 * Pitfalls handled here (ANCHORS.md §5):
 * - noble's ECDSA `verify` rejects high-S signatures by default (`lowS: true`, the Bitcoin rule);
 *   OpenSSL does not normalise S, so about half of node:crypto's signatures would "fail". We pass
 *   `lowS: false`.
 * - noble's default signature format is 64/96-byte `compact` (r ‖ s); X.509 and node:crypto use the
 *   DER Ecdsa-Sig-Value. We pass `format: "der"` both ways.
 * - noble hashes the message itself (`prehash: true`, SHA-256 for P-256, SHA-384 for P-384),
 *   matching node's `sign("sha384", …)`; keys are raw SEC1 points / scalars, not SPKI / PKCS#8, so
 *   they are converted through node's JWK export.
 * noble's ECDSA signatures are deterministic (RFC 6979); node's are not.
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256, p384 } from "@noble/curves/nist.js";
import type { KeyKind } from "./algorithms.js";
import { importPrivateKey, importPublicKey } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";

/** Raw keys in noble's formats: scalar / seed, and uncompressed SEC1 point / 32-byte Ed25519 key. */
export interface NobleKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

type NobleKind = Exclude<KeyKind, "rsa2048">;

function nobleKind(kind: KeyKind): NobleKind {
  if (kind === "rsa2048") throw new CryptoTaskError("@noble/curves has no RSA");
  return kind;
}

const b64url = (s: string | undefined): Uint8Array => Uint8Array.from(Buffer.from(s ?? "", "base64url"));

function pointOf(jwk: { x?: string; y?: string }, kind: NobleKind): Uint8Array {
  const x = b64url(jwk.x);
  if (kind === "ed25519") return x;
  const y = b64url(jwk.y);
  const out = new Uint8Array(1 + x.length + y.length);
  out[0] = 0x04;
  out.set(x, 1);
  out.set(y, 1 + x.length);
  return out;
}

/** noble's raw public key from a SubjectPublicKeyInfo DER. */
export function noblePublicKey(kind: KeyKind, spki: Uint8Array): Uint8Array {
  const k = nobleKind(kind);
  return pointOf(importPublicKey(spki).export({ format: "jwk" }), k);
}

/** noble's raw key pair from a PKCS#8 DER private key. */
export function nobleKeyPair(kind: KeyKind, pkcs8: Uint8Array): NobleKeyPair {
  const k = nobleKind(kind);
  const jwk = importPrivateKey(pkcs8).export({ format: "jwk" });
  return { secretKey: b64url(jwk.d), publicKey: pointOf(jwk, k) };
}

/** Sign with noble: DER ECDSA (RFC 6979 nonces) or Ed25519. */
export function nobleSign(kind: KeyKind, secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const k = nobleKind(kind);
  if (k === "ed25519") return ed25519.sign(message, secretKey);
  return (k === "p256" ? p256 : p384).sign(message, secretKey, { format: "der" });
}

/** Verify with noble, accepting OpenSSL's DER, high-S ECDSA signatures. False on any mismatch. */
export function nobleVerify(
  kind: KeyKind,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const k = nobleKind(kind);
  try {
    if (k === "ed25519") return ed25519.verify(signature, message, publicKey);
    return (k === "p256" ? p256 : p384).verify(signature, message, publicKey, { format: "der", lowS: false });
  } catch {
    return false;
  }
}
