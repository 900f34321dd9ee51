/**
 * RSA-2048 verification of prepared SHA-256 digests (RSASSA-PKCS1-v1_5, RFC 8017 §8.2.2) through one
 * of two back-ends, chosen when a thread starts and passed to whoever verifies (no global registry):
 *
 * - `native` — the Node-API addon native/rsa_verify.c (built into build/rsa_verify.node by
 *   scripts/build-native.mjs): one OpenSSL EVP_PKEY_CTX per imported key, a whole run of
 *   (digest, signature) pairs per call — the work `openssl speed rsa2048` does;
 * - `node:crypto` — the fallback when the addon is absent or refused: `publicDecrypt` with PKCS#1
 *   padding and an exact comparison of the recovered DigestInfo ({@link verifyRsaDigest}), which
 *   builds a fresh OpenSSL context per call (≈0.7× `openssl speed`, bench/README.md).
 *
 * Both give the same verdicts (sim/crypto/native-rsa.test.ts): a wrong-length digest or signature,
 * bad padding, another key or any mismatch is `false`; a key that is not RSA SubjectPublicKeyInfo
 * DER (trailing bytes included) is a {@link CryptoTaskError}. Lengths are checked here and again in C.
 * @module
 */
import { publicDecrypt } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { importPublicKey } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import { projectRoot } from "./project-root.js";

/** The back-end a verifier uses. */
export type RsaVerifyBackend = "native" | "node:crypto";

/** What to load: `auto` = the addon when it loads, else node:crypto; `native` = the addon or an error. */
export type RsaVerifyChoice = "auto" | RsaVerifyBackend;

/** The choices, for option parsing. */
export const RSA_VERIFY_CHOICES: readonly RsaVerifyChoice[] = ["auto", "native", "node:crypto"];

/** Bytes of a SHA-256 digest. */
export const DIGEST_BYTES = 32;

/** Largest SubjectPublicKeyInfo accepted (the addon's limit too). */
const MAX_SPKI = 16384;

/** Imported keys kept per verifier (emptied when full). */
const KEY_MEMO = 256;

/** The addon's exports (native/rsa_verify.c). */
interface RsaAddon {
  importKey(spki: Uint8Array): object;
  modulusBytes(key: object): number;
  verify(key: object, digests: Uint8Array, signatures: Uint8Array, verdicts: Uint8Array): number;
}

/** Verifies RSA PKCS#1 v1.5 signatures over prepared SHA-256 digests. One per thread. */
export interface RsaDigestVerifier {
  /** The back-end in use. */
  readonly backend: RsaVerifyBackend;
  /** Why node:crypto is used when the choice was `auto` (null when native or asked for). */
  readonly fallbackReason: string | null;
  /**
   * Modulus size in bytes of an RSA SubjectPublicKeyInfo (imported once and kept).
   * @throws CryptoTaskError when `spki` is not RSA SubjectPublicKeyInfo DER
   */
  modulusBytes(spki: Uint8Array): number;
  /**
   * Verifies `n = verdicts.length` pairs under one key: digest `i` is `digests[32i, 32i+32)`,
   * signature `i` is `signatures[mi, mi+m)` with `m` = {@link modulusBytes}. Writes 1 (valid) or 0
   * into `verdicts` and returns how many are valid.
   * @throws CryptoTaskError on a bad key or lengths that do not match `n`
   */
  verifyPacked(spki: Uint8Array, digests: Uint8Array, signatures: Uint8Array, verdicts: Uint8Array): number;
}

/** DER DigestInfo prefix of a SHA-256 digest (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * RSASSA-PKCS1-v1_5 verification of a prepared SHA-256 digest through node:crypto (RFC 8017
 * §8.2.2): RSAVP1 and the type-1 padding check in OpenSSL (`publicDecrypt`), then an exact
 * comparison of the recovered DigestInfo with the expected one — what `RSA_verify` does, without
 * hashing the data again. False (never throws) on a wrong length, bad padding or any mismatch.
 */
export function verifyRsaDigest(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const modulusBytes = (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (digest.length !== DIGEST_BYTES || signature.length !== modulusBytes) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt(key, signature);
  } catch {
    return false;
  }
  const p = SHA256_DIGEST_INFO.length;
  if (recovered.length !== p + DIGEST_BYTES) return false;
  let diff = 0;
  for (let i = 0; i < p; i++) diff |= recovered[i]! ^ SHA256_DIGEST_INFO[i]!;
  for (let i = 0; i < DIGEST_BYTES; i++) diff |= recovered[p + i]! ^ digest[i]!;
  return diff === 0;
}

/**
 * Checks that `spki` is one DER SEQUENCE spanning every byte (no trailing bytes), at most 16 kB —
 * the same test for both back-ends (the addon checks it again).
 */
function checkSpkiFrame(spki: Uint8Array): void {
  const bad = (why: string) =>
    new CryptoTaskError(`RSA public key: ${spki.length} bytes are not SubjectPublicKeyInfo DER (${why})`);
  if (!(spki instanceof Uint8Array)) throw new CryptoTaskError("RSA public key: expected a Uint8Array");
  if (spki.length < 2 || spki.length > MAX_SPKI) throw bad(`size must be 2 to ${MAX_SPKI} bytes`);
  if (spki[0] !== 0x30) throw bad("not a SEQUENCE");
  let len = spki[1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2 || spki.length < 2 + n) throw bad("bad length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + spki[2 + i]!;
    head = 2 + n;
  }
  if (head + len !== spki.length) throw bad("its SEQUENCE does not span exactly the given bytes");
}

/** Checks the packed lengths of {@link RsaDigestVerifier.verifyPacked}. */
function checkPacked(m: number, digests: Uint8Array, signatures: Uint8Array, verdicts: Uint8Array): void {
  const n = verdicts.length;
  if (digests.length !== n * DIGEST_BYTES)
    throw new CryptoTaskError(`RSA verify: ${digests.length} digest bytes for ${n} verdicts (32 each)`);
  if (signatures.length !== n * m)
    throw new CryptoTaskError(
      `RSA verify: ${signatures.length} signature bytes for ${n} verdicts (${m} each)`,
    );
}

/** A bounded memo of imported keys, by their DER bytes. */
function keyMemo<K>(importKey: (spki: Uint8Array) => K): (spki: Uint8Array) => K {
  const keys = new Map<string, K>();
  return (spki) => {
    const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString("latin1");
    let key = keys.get(id);
    if (key === undefined) {
      checkSpkiFrame(spki);
      key = importKey(spki);
      if (keys.size >= KEY_MEMO) keys.clear();
      keys.set(id, key);
    }
    return key;
  };
}

function nodeVerifier(fallbackReason: string | null): RsaDigestVerifier {
  const keyOf = keyMemo((spki) => {
    const key = importPublicKey(spki);
    if (key.asymmetricKeyType !== "rsa")
      throw new CryptoTaskError(`RSA public key: a ${key.asymmetricKeyType ?? "non-RSA"} key is not RSA`);
    return { key, modulusBytes: key.asymmetricKeyDetails!.modulusLength! / 8 };
  });
  return {
    backend: "node:crypto",
    fallbackReason,
    modulusBytes: (spki) => keyOf(spki).modulusBytes,
    verifyPacked(spki, digests, signatures, verdicts) {
      const { key, modulusBytes: m } = keyOf(spki);
      checkPacked(m, digests, signatures, verdicts);
      let valid = 0;
      for (let i = 0; i < verdicts.length; i++) {
        const ok = verifyRsaDigest(
          key,
          digests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES),
          signatures.subarray(i * m, (i + 1) * m),
        );
        verdicts[i] = ok ? 1 : 0;
        if (ok) valid++;
      }
      return valid;
    },
  };
}

/** The addon's error (a plain Error with a `code`) as a typed error. */
function typed(e: unknown): CryptoTaskError {
  if (e instanceof CryptoTaskError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CryptoTaskError(`RSA public key or verify arguments refused by the addon: ${message}`, {
    cause: e,
  });
}

function nativeVerifier(addon: RsaAddon): RsaDigestVerifier {
  const keyOf = keyMemo((spki) => {
    try {
      const key = addon.importKey(spki);
      return { key, modulusBytes: addon.modulusBytes(key) };
    } catch (e) {
      throw typed(e);
    }
  });
  return {
    backend: "native",
    fallbackReason: null,
    modulusBytes: (spki) => keyOf(spki).modulusBytes,
    verifyPacked(spki, digests, signatures, verdicts) {
      const { key, modulusBytes: m } = keyOf(spki);
      checkPacked(m, digests, signatures, verdicts);
      try {
        return addon.verify(key, digests, signatures, verdicts);
      } catch (e) {
        throw typed(e);
      }
    },
  };
}

/** Where the addon is built: `<project>/build/rsa_verify.node`. */
export function defaultAddonPath(): string {
  return join(projectRoot(), "build", "rsa_verify.node");
}

/** Loads the addon at `path`; a reason string when it is absent or does not load. */
function loadAddon(path: string): RsaAddon | string {
  if (!existsSync(path)) return `${path} is not built (npm run native:build)`;
  try {
    const mod = createRequire(import.meta.url)(path) as Partial<RsaAddon>;
    if (
      typeof mod.importKey !== "function" ||
      typeof mod.verify !== "function" ||
      typeof mod.modulusBytes !== "function"
    )
      return `${path} does not export importKey, modulusBytes and verify`;
    return mod as RsaAddon;
  } catch (e) {
    return `${path} did not load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Options of {@link rsaDigestVerifier}. */
export interface RsaVerifierOptions {
  /** Which back-end (default `auto`). */
  readonly choice?: RsaVerifyChoice;
  /** The addon file (default {@link defaultAddonPath}). */
  readonly addonPath?: string;
}

/**
 * A verifier for this thread: the addon when `choice` allows it and it loads, else node:crypto.
 * @throws CryptoTaskError when `choice` is `native` and the addon cannot be loaded, or `choice` is unknown
 */
export function rsaDigestVerifier(options: RsaVerifierOptions = {}): RsaDigestVerifier {
  const choice = options.choice ?? "auto";
  if (!RSA_VERIFY_CHOICES.includes(choice))
    throw new CryptoTaskError(
      `RSA verify back-end: expected one of ${RSA_VERIFY_CHOICES.join(", ")}, got ${String(choice)}`,
    );
  if (choice === "node:crypto") return nodeVerifier(null);
  const addon = loadAddon(options.addonPath ?? defaultAddonPath());
  if (typeof addon !== "string") return nativeVerifier(addon);
  if (choice === "native") throw new CryptoTaskError(`RSA verify back-end native: ${addon}`);
  return nodeVerifier(addon);
}

/**
 * Verifies `digests[i]` / `signatures[i]` under `keys[keyAt(i)]` (SPKI DER) with `verifier`, one
 * call per run of consecutive pairs under the same key. A pair whose digest is not 32 bytes or whose
 * signature is not the key's modulus size is invalid (0). Returns the verdicts.
 * @throws CryptoTaskError when the lists differ in length or a key is not RSA SubjectPublicKeyInfo
 */
export function verifyDigestList(
  verifier: RsaDigestVerifier,
  keys: readonly Uint8Array[],
  keyAt: (i: number) => number,
  digests: readonly Uint8Array[],
  signatures: readonly Uint8Array[],
): Uint8Array {
  const n = digests.length;
  if (signatures.length !== n)
    throw new CryptoTaskError(`RSA verify: ${signatures.length} signatures for ${n} digests`);
  const verdicts = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const k = keyAt(i);
    const spki = keys[k];
    if (spki === undefined) throw new CryptoTaskError(`RSA verify: no key ${k} for pair ${i}`);
    const m = verifier.modulusBytes(spki);
    // The run: consecutive pairs under key k with well-sized digest and signature.
    let j = i;
    while (j < n && keyAt(j) === k && digests[j]!.length === DIGEST_BYTES && signatures[j]!.length === m) j++;
    if (j === i) {
      i++; // a wrong-length pair: verdict 0
      continue;
    }
    const count = j - i;
    const d = Buffer.allocUnsafe(count * DIGEST_BYTES);
    const s = Buffer.allocUnsafe(count * m);
    for (let x = 0; x < count; x++) {
      d.set(digests[i + x]!, x * DIGEST_BYTES);
      s.set(signatures[i + x]!, x * m);
    }
    verifier.verifyPacked(spki, d, s, verdicts.subarray(i, j));
    i = j;
  }
  return verdicts;
}
