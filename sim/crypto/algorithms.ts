/**
 * The key kinds and signature schemes of sim/crypto, on node:crypto (DESIGN.md §6: hot paths use
 * node:crypto). Keys travel between threads and to disk as DER — PKCS#8 PrivateKeyInfo for private
 * keys, SubjectPublicKeyInfo for public keys — and are imported into `KeyObject`s where they are used.
 *
 * | kind      | signature scheme                         | used by                                  |
 * |-----------|------------------------------------------|------------------------------------------|
 * | `rsa2048` | RSASSA-PKCS1-v1_5 with SHA-256, e=65537  | the current card and roots (FACTS §1.1)  |
 * | `p384`    | ECDSA P-384 with SHA-384, DER signature  | the next-generation card (FACTS §1.6)    |
 * | `p256`    | ECDSA P-256 with SHA-256, DER signature  | benchmarks, relying-party comparisons    |
 * | `ed25519` | Ed25519 (pure, RFC 8032)                 | benchmarks only                          |
 *
 * Determinism: RSA PKCS#1 v1.5 and Ed25519 signatures are a function of key and message. OpenSSL 3.0
 * (node 20) draws a fresh random nonce for every ECDSA signature, so ECDSA signature *bytes* differ from
 * run to run (their verification result does not). Key generation is random; the key cache
 * (key-cache.ts) is what makes keys repeat across runs.
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { CryptoTaskError } from "./errors.js";

/** Key kinds sim/crypto generates, signs and verifies with. */
export type KeyKind = "rsa2048" | "p256" | "p384" | "ed25519";

/** Every {@link KeyKind}, in a fixed order. */
export const KEY_KINDS: readonly KeyKind[] = ["rsa2048", "p256", "p384", "ed25519"];

/** Digest of each kind's signature scheme (`null`: Ed25519 hashes internally). */
export const HASH_OF: Readonly<Record<KeyKind, "sha256" | "sha384" | null>> = {
  rsa2048: "sha256",
  p256: "sha256",
  p384: "sha384",
  ed25519: null,
};

/** A key pair as DER bytes: PKCS#8 private key and SubjectPublicKeyInfo. */
export interface KeyPairDer {
  readonly pkcs8: Uint8Array;
  readonly spki: Uint8Array;
}

/** Throws unless `kind` is a {@link KeyKind}. */
export function checkKind(kind: unknown): KeyKind {
  if (typeof kind !== "string" || !(KEY_KINDS as readonly string[]).includes(kind))
    throw new CryptoTaskError(`key kind: expected one of ${KEY_KINDS.join(", ")}, got ${String(kind)}`);
  return kind as KeyKind;
}

/** Generate one key pair of `kind` with node:crypto, as DER. RSA-2048 costs ≈160 ms (one core). */
export function generateKeyPairDer(kind: KeyKind): KeyPairDer {
  const publicKeyEncoding = { type: "spki", format: "der" } as const;
  const privateKeyEncoding = { type: "pkcs8", format: "der" } as const;
  const pair =
    kind === "rsa2048"
      ? generateKeyPairSync("rsa", {
          modulusLength: 2048,
          publicExponent: 65537,
          publicKeyEncoding,
          privateKeyEncoding,
        })
      : kind === "ed25519"
        ? generateKeyPairSync("ed25519", { publicKeyEncoding, privateKeyEncoding })
        : generateKeyPairSync("ec", {
            namedCurve: kind === "p384" ? "secp384r1" : "prime256v1",
            publicKeyEncoding,
            privateKeyEncoding,
          });
  return { pkcs8: new Uint8Array(pair.privateKey), spki: new Uint8Array(pair.publicKey) };
}

function bytes(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Import a PKCS#8 DER private key. @throws CryptoTaskError when the bytes are not a PKCS#8 key */
export function importPrivateKey(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: bytes(pkcs8), format: "der", type: "pkcs8" });
  } catch (cause) {
    throw new CryptoTaskError(`private key: ${pkcs8.length} bytes are not PKCS#8 DER`, { cause });
  }
}

/** Import a SubjectPublicKeyInfo DER public key. @throws CryptoTaskError when the bytes are not an SPKI */
export function importPublicKey(spki: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: bytes(spki), format: "der", type: "spki" });
  } catch (cause) {
    throw new CryptoTaskError(`public key: ${spki.length} bytes are not SubjectPublicKeyInfo DER`, {
      cause,
    });
  }
}

/** SubjectPublicKeyInfo DER of a private key. */
export function spkiOf(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(privateKey).export({ type: "spki", format: "der" }));
}

/** Kind of a node:crypto key, or undefined when sim/crypto does not handle it. */
export function kindOfKey(key: KeyObject): KeyKind | undefined {
  const t = key.asymmetricKeyType;
  if (t === "rsa") return key.asymmetricKeyDetails?.modulusLength === 2048 ? "rsa2048" : undefined;
  if (t === "ed25519") return "ed25519";
  if (t === "ec") {
    const c = key.asymmetricKeyDetails?.namedCurve;
    return c === "prime256v1" ? "p256" : c === "secp384r1" ? "p384" : undefined;
  }
  return undefined;
}

/** Sign `message` with the scheme of `kind` (see the module table). */
export function signWith(kind: KeyKind, key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(HASH_OF[kind], message, key));
}

/** Verify `signature` over `message`; false (never throws) on any mismatch or malformed signature. */
export function verifyWith(
  kind: KeyKind,
  key: KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(HASH_OF[kind], message, key, signature);
  } catch {
    return false;
  }
}
