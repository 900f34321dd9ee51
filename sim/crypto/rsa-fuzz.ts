/**
 * Seeded differential fuzzing of RSA-2048 prepared-digest verification (native-rsa.ts): random
 * (digest, signature, key) cases — valid, bit flips, another key or digest, mutations of the
 * RFC 8017 §8.2.2 encoded block turned into signatures with the raw private-key operation, random
 * and extreme signatures, wrong lengths — checked by two verifiers (the native addon and the
 * node:crypto path) through {@link verifyDigestList}, and by `crypto.verify` wherever the case
 * still has its message. Shared by sim/crypto/native-rsa.test.ts (3,000 cases) and the long mode
 * bench/fuzz-rsa.ts. Randomness: the project's mulberry32 stream only.
 * @module
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import type { KeyObject } from "node:crypto";
import { randomInt } from "../../engine/random/small-prng.js";
import type { KeyPairDer } from "./algorithms.js";
import { generateKeyPairDer } from "./algorithms.js";
import type { RsaDigestVerifier } from "./native-rsa.js";
import { DIGEST_BYTES, verifyDigestList } from "./native-rsa.js";

/** Modulus bytes of the fixture's keys. */
const K = 256;
/** DER DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1). */
const INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/** Two RSA-2048 key pairs, messages, their digests and valid signatures under the first key. */
export interface RsaFuzzFixture {
  readonly pair: KeyPairDer;
  readonly other: KeyPairDer;
  readonly privateKey: KeyObject;
  readonly publicKeys: readonly [KeyObject, KeyObject];
  readonly messages: readonly Uint8Array[];
  readonly digests: readonly Uint8Array[];
  readonly signatures: readonly Uint8Array[];
}

/** A fresh fixture (two RSA-2048 key generations, `count` signatures). */
export function makeRsaFuzzFixture(count = 24): RsaFuzzFixture {
  const pair = generateKeyPairDer("rsa2048");
  const other = generateKeyPairDer("rsa2048");
  const privateKey = createPrivateKey({ key: Buffer.from(pair.pkcs8), format: "der", type: "pkcs8" });
  const pub = (spki: Uint8Array) => createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
  const messages = Array.from({ length: count }, (_, i) => new TextEncoder().encode(`fuzz challenge #${i}`));
  return {
    pair,
    other,
    privateKey,
    publicKeys: [pub(pair.spki), pub(other.spki)],
    messages,
    digests: messages.map((m) => new Uint8Array(createHash("sha256").update(m).digest())),
    signatures: messages.map((m) => new Uint8Array(nodeSign("sha256", m, privateKey))),
  };
}

/** The encoded block EM = 00 01 FF…FF 00 DigestInfo(SHA-256, digest) of a 2048-bit key. */
export function encodedBlock(digest: Uint8Array): Buffer {
  const em = Buffer.alloc(K, 0xff);
  em[0] = 0;
  em[1] = 1;
  em[K - 52] = 0;
  INFO.copy(em, K - 51);
  Buffer.from(digest).copy(em, K - 32);
  return em;
}

/** A "signature" whose public operation gives exactly `em` (raw private-key operation). */
export function rawSignature(f: RsaFuzzFixture, em: Uint8Array): Uint8Array {
  return new Uint8Array(privateEncrypt({ key: f.privateKey, padding: constants.RSA_NO_PADDING }, em));
}

/** One chunk of cases: parallel lists, `keys[i]` 0 or 1, `messages[i]` null when the digest was changed. */
export interface RsaFuzzChunk {
  readonly digests: Uint8Array[];
  readonly signatures: Uint8Array[];
  readonly keys: number[];
  readonly messages: (Uint8Array | null)[];
}

/** `size` cases drawn from `rnd`. */
export function rsaFuzzChunk(f: RsaFuzzFixture, rnd: () => number, size: number): RsaFuzzChunk {
  const out: RsaFuzzChunk = { digests: [], signatures: [], keys: [], messages: [] };
  const n = f.messages.length;
  for (let i = 0; i < size; i++) {
    const j = randomInt(rnd, n);
    let d: Uint8Array = f.digests[j]!;
    let s: Uint8Array = f.signatures[j]!;
    let msg: Uint8Array | null = f.messages[j]!;
    let key = 0;
    switch (randomInt(rnd, 9)) {
      case 0: // valid
        break;
      case 1:
        s = Uint8Array.from(s);
        for (let x = 1 + randomInt(rnd, 3); x > 0; x--) s[randomInt(rnd, K)]! ^= 1 << randomInt(rnd, 8);
        break;
      case 2:
        d = Uint8Array.from(d);
        d[randomInt(rnd, DIGEST_BYTES)]! ^= 1 << randomInt(rnd, 8);
        msg = null;
        break;
      case 3:
        key = 1;
        break;
      case 4: {
        const em = encodedBlock(d);
        for (let x = 1 + randomInt(rnd, 3); x > 0; x--) em[randomInt(rnd, K)] = randomInt(rnd, 256);
        // A mutated first byte may make EM ≥ n: then EM itself is the (out-of-range) signature.
        try {
          s = rawSignature(f, em);
        } catch {
          s = new Uint8Array(em);
        }
        break;
      }
      case 5:
        s = Uint8Array.from({ length: K }, () => randomInt(rnd, 256));
        break;
      case 6:
        s = randomInt(rnd, 2) === 0 ? new Uint8Array(K) : new Uint8Array(K).fill(0xff);
        break;
      case 7: {
        const cut = randomInt(rnd, 4);
        if (randomInt(rnd, 2) === 0) d = cut === 0 ? Uint8Array.from([...d, 1]) : d.subarray(0, 32 - cut);
        else s = cut === 0 ? Uint8Array.from([...s, 0]) : s.subarray(cut);
        msg = null;
        break;
      }
      default: // a valid signature under another message's digest
        d = f.digests[(j + 1 + randomInt(rnd, n - 1)) % n]!;
        msg = null;
    }
    out.digests.push(d);
    out.signatures.push(s);
    out.keys.push(key);
    out.messages.push(msg);
  }
  return out;
}

/** Verdict counts of a fuzz run and the first disagreements found. */
export interface RsaFuzzTally {
  cases: number;
  valid: number;
  invalid: number;
  /** Cases checked against `crypto.verify` too (those with their message). */
  againstNodeVerify: number;
  /** Descriptions of disagreements (empty when every verdict agreed). */
  readonly mismatches: string[];
}

/** A tally with nothing counted. */
export const emptyTally = (): RsaFuzzTally => ({
  cases: 0,
  valid: 0,
  invalid: 0,
  againstNodeVerify: 0,
  mismatches: [],
});

/** Checks one chunk with both verifiers (and `crypto.verify`), adding to `tally`. */
export function checkRsaFuzzChunk(
  f: RsaFuzzFixture,
  a: RsaDigestVerifier,
  b: RsaDigestVerifier,
  c: RsaFuzzChunk,
  tally: RsaFuzzTally,
): void {
  const keys = [f.pair.spki, f.other.spki];
  const va = verifyDigestList(a, keys, (i) => c.keys[i]!, c.digests, c.signatures);
  const vb = verifyDigestList(b, keys, (i) => c.keys[i]!, c.digests, c.signatures);
  for (let i = 0; i < va.length; i++) {
    const where = `case ${tally.cases}`;
    if (va[i] !== vb[i]) tally.mismatches.push(`${where}: ${a.backend} ${va[i]}, ${b.backend} ${vb[i]}`);
    const msg = c.messages[i];
    if (msg) {
      const want = nodeVerify("sha256", msg, f.publicKeys[c.keys[i]!]!, c.signatures[i]!) ? 1 : 0;
      tally.againstNodeVerify++;
      if (va[i] !== want) tally.mismatches.push(`${where}: ${a.backend} ${va[i]}, crypto.verify ${want}`);
    }
    if (va[i]) tally.valid++;
    else tally.invalid++;
    tally.cases++;
  }
}
