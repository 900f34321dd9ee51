/**
 * PKCS#1 v1.5 DigestInfo prefixes the JPKI card is handed before COMPUTE DIGITAL SIGNATURE,
 * FACTS.md §2.5 (byte values from jpki/myna `make_digest_info`) and RFC 8017 §9.2 note 1.
 * @module
 */
import { createHash } from "node:crypto";

/** Hash algorithms whose DigestInfo the card is commonly handed. */
export type DigestAlgorithm = "sha1" | "sha256" | "sha384" | "sha512";

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));

/** DER prefix of each DigestInfo; append the raw hash (FACTS.md §2.5, byte for byte). */
export const DIGEST_INFO_PREFIX: Readonly<Record<DigestAlgorithm, Uint8Array>> = {
  sha1: hex("30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14"),
  sha256: hex("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20"),
  sha384: hex("30 41 30 0D 06 09 60 86 48 01 65 03 04 02 02 05 00 04 30"),
  sha512: hex("30 51 30 0D 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40"),
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
