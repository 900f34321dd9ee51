/**
 * PKCS#1 v1.5 DigestInfo prefixes the JPKI card is handed before COMPUTE DIGITAL SIGNATURE,
 * FACTS.md §2.5 (byte values from jpki/myna `make_digest_info`) and RFC 8017 §9.2 note 1.
 * @module
 */
import { createHash } from "node:crypto";

/** Hash algorithms whose DigestInfo the card is commonly handed. */
export type DigestAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";

/** DER prefix of each DigestInfo; append the raw hash (FACTS.md §2.5). */
export const DIGEST_INFO_PREFIX: Readonly<Record<DigestAlgorithm, Uint8Array>> = {
  sha1: Uint8Array.of(
    0x30,
    0x21,
    0x30,
    0x09,
    0x06,
    0x05,
    0x2b,
    0x0e,
    0x03,
    0x02,
    0x1a,
    0x05,
    0x00,
    0x04,
    0x14,
  ),
  sha256: Uint8Array.of(
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20,
  ),
  sha384: Uint8Array.of(
    0x30,
    0x41,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x02,
    0x05,
    0x00,
    0x04,
    0x30,
  ),
  sha512: Uint8Array.of(
    0x30,
    0x51,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x03,
    0x05,
    0x00,
    0x04,
    0x40,
  ),
};

/** Hash length in bytes of each algorithm. */
export const DIGEST_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/**
 * Wrap an already computed hash in its DigestInfo.
 * @throws RangeError when the hash length does not match the algorithm
 */
export function digestInfoOf(algorithm: DigestAlgorithm, hash: Uint8Array): Uint8Array {
  if (hash.length !== DIGEST_LENGTH[algorithm]) {
    throw new RangeError(`${algorithm} hash is ${DIGEST_LENGTH[algorithm]} bytes, got ${hash.length}`);
  }
  const prefix = DIGEST_INFO_PREFIX[algorithm];
  const out = new Uint8Array(prefix.length + hash.length);
  out.set(prefix, 0);
  out.set(hash, prefix.length);
  return out;
}

/** Hash `message` with `algorithm` and wrap the result in its DigestInfo. */
export function digestInfoFor(algorithm: DigestAlgorithm, message: Uint8Array): Uint8Array {
  return digestInfoOf(algorithm, new Uint8Array(createHash(algorithm).update(message).digest()));
}
