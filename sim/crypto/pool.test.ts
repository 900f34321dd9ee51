import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { Scratch, openssl } from "../pki/test-support.js";
import type { KeyKind, KeyPairDer } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import { nobleKeyPair, noblePublicKey, nobleSign, nobleVerify } from "./noble.js";
import {
  CryptoPool,
  batchRanges,
  generateKeyPairs,
  signMessages,
  verifyDigests,
  verifySignatures,
} from "./pool.js";
import { rsaDigestVerifier, verifyRsaDigest } from "./native-rsa.js";
import type { CryptoTask } from "./tasks.js";
import { handleCryptoTask as handleWithEnv, packBytes, packU32, unpackBytes, unpackU32 } from "./tasks.js";

const env = { rsa: rsaDigestVerifier() };
const handleCryptoTask = (task: CryptoTask) => handleWithEnv(task, env);

const enc = new TextEncoder();
const messages = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => enc.encode(`${tag} challenge #${i}`));

let one: CryptoPool;
let two: CryptoPool;
beforeAll(async () => {
  one = new CryptoPool({ threads: 1 });
  two = new CryptoPool({ threads: 2 });
  await two.warmUp();
});
afterAll(async () => {
  await two.destroy();
  await one.destroy();
});

describe("CryptoPool", () => {
  it("runs tasks on 2 distinct threads and returns results in task order", async () => {
    const r = await two.run(Array.from({ length: 8 }, () => ({ op: "ping" }) as const));
    expect(r).toHaveLength(8);
    expect(new Set(r.map((x) => x.threadId)).size).toBe(2);
  });

  it("cuts work into ranges", () => {
    expect(batchRanges(5, 2)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(batchRanges(0, 3)).toEqual([]);
    expect(() => batchRanges(3, 0)).toThrow(CryptoTaskError);
  });

  it("rejects malformed tasks with a typed error", async () => {
    expect(() => handleCryptoTask({ op: "keygen", kind: "rsa1024" as KeyKind, count: 1 })).toThrow(
      /key kind/,
    );
    const bytes = (...l: Uint8Array[]) => packBytes(l);
    await expect(
      two.run([
        {
          op: "sign",
          kind: "p256",
          keys: bytes(new Uint8Array(3)),
          keyOf: null,
          messages: bytes(new Uint8Array(1)),
        },
      ]),
    ).rejects.toThrow(/not PKCS#8/);
    expect(() =>
      handleCryptoTask({
        op: "verify",
        kind: "p256",
        keys: bytes(),
        keyOf: null,
        messages: bytes(),
        signatures: bytes(),
      }),
    ).toThrow(CryptoTaskError);
    expect(() => unpackBytes({ bytes: new Uint8Array(2), ends: packU32([1, 5]) })).toThrow(/bad end offset/);
  });

  it("packs byte lists losslessly", () => {
    const l = [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)];
    expect(unpackBytes(packBytes(l))).toEqual(l);
    expect([...unpackU32(packU32([0, 1, 2 ** 32 - 1]))]).toEqual([0, 1, 2 ** 32 - 1]);
    expect(() => unpackU32(new Uint8Array(3))).toThrow(CryptoTaskError);
  });
});

describe("RSA-2048 (PKCS#1 v1.5, SHA-256) on the pool", () => {
  let keys: KeyPairDer[];
  beforeAll(async () => {
    keys = await generateKeyPairs(two, "rsa2048", 2);
  });

  it("gives byte-identical signatures with 1 and 2 threads, in message order", async () => {
    const msgs = messages(300, "rsa");
    const keyOf = msgs.map((_, i) => i % 2);
    const pk = keys.map((k) => k.pkcs8);
    const a = await signMessages(one, "rsa2048", pk, msgs, keyOf, { batchSize: 64 });
    const b = await signMessages(two, "rsa2048", pk, msgs, keyOf, { batchSize: 64 });
    expect(b).toEqual(a);
    expect(a.every((s) => s.length === 256)).toBe(true);
    const spki = keys.map((k) => k.spki);
    const ok1 = await verifySignatures(one, "rsa2048", spki, msgs, a, keyOf, { batchSize: 100 });
    const ok2 = await verifySignatures(two, "rsa2048", spki, msgs, a, keyOf, { batchSize: 100 });
    expect(ok1.every(Boolean)).toBe(true);
    expect(ok2).toEqual(ok1);
    // Wrong key for every message: all fail.
    const swapped = keyOf.map((k) => 1 - k);
    expect((await verifySignatures(two, "rsa2048", spki, msgs, a, swapped)).some(Boolean)).toBe(false);
  });

  it("signatures verify with node:crypto and with the openssl CLI", async () => {
    const msgs = messages(3, "openssl");
    const sigs = await signMessages(two, "rsa2048", [keys[0]!.pkcs8], msgs);
    const pub = createPublicKey({ key: Buffer.from(keys[0]!.spki), format: "der", type: "spki" });
    for (const [i, m] of msgs.entries()) expect(nodeVerify("sha256", m, pub, sigs[i]!)).toBe(true);
    const tmp = new Scratch();
    try {
      const pubPem = tmp.file("pub.pem", pub.export({ type: "spki", format: "pem" }));
      const msg = tmp.file("msg.bin", msgs[1]!);
      const sig = tmp.file("sig.bin", sigs[1]!);
      const r = openssl("dgst", "-sha256", "-verify", pubPem, "-signature", sig, msg);
      expect(r.out.trim()).toBe("Verified OK");
      const bad = tmp.file("bad.bin", msgs[2]!);
      expect(openssl("dgst", "-sha256", "-verify", pubPem, "-signature", sig, bad).out).toContain(
        "Verification failure",
      );
      // The PKCS#8 DER is a key OpenSSL reads as-is.
      const der = tmp.file("key.der", keys[0]!.pkcs8);
      expect(openssl("pkey", "-inform", "DER", "-in", der, "-noout", "-check").out).toMatch(/valid/i);
    } finally {
      tmp.dispose();
    }
  });
});

describe.each([["p256"], ["p384"], ["ed25519"]] as const)("%s on the pool", (kind) => {
  let keys: KeyPairDer[];
  beforeAll(async () => {
    keys = await generateKeyPairs(two, kind, 3, { batchSize: 2 });
  });

  it("signs on 1 and 2 threads; every signature verifies with node:crypto and @noble/curves", async () => {
    const msgs = messages(90, kind);
    const keyOf = msgs.map((_, i) => i % 3);
    const pk = keys.map((k) => k.pkcs8);
    const spki = keys.map((k) => k.spki);
    const a = await signMessages(one, kind, pk, msgs, keyOf, { batchSize: 50 });
    const b = await signMessages(two, kind, pk, msgs, keyOf, { batchSize: 50 });
    // Ed25519 is deterministic; OpenSSL's ECDSA draws a fresh nonce, so only the verdicts must agree.
    if (kind === "ed25519") expect(b).toEqual(a);
    const v1 = await verifySignatures(one, kind, spki, msgs, a, keyOf);
    const v2 = await verifySignatures(two, kind, spki, msgs, b, keyOf);
    expect(v1.every(Boolean) && v2.every(Boolean)).toBe(true);
    const pubs = keys.map((k) => noblePublicKey(kind, k.spki));
    let highS = 0;
    // noble is ~30× slower than node:crypto: cross-check a slice.
    for (const [i, m] of msgs.slice(0, 24).entries()) {
      const pub = pubs[keyOf[i]!]!;
      expect(nobleVerify(kind, pub, m, a[i]!)).toBe(true);
      expect(nobleVerify(kind, pub, m, b[i]!)).toBe(true);
      expect(nobleVerify(kind, pub, enc.encode("other"), a[i]!)).toBe(false);
      if (kind !== "ed25519") {
        // OpenSSL does not normalise S: with noble's default lowS policy these would be rejected.
        const nist = await import("@noble/curves/nist.js");
        if (!(kind === "p256" ? nist.p256 : nist.p384).verify(a[i]!, m, pub, { format: "der" })) highS++;
      }
    }
    if (kind !== "ed25519") expect(highS).toBeGreaterThan(0);
  });

  it("verifies noble's signatures with node:crypto on the pool", async () => {
    const msgs = messages(20, `${kind} noble`);
    const kp = nobleKeyPair(kind, keys[0]!.pkcs8);
    expect(kp.publicKey).toEqual(noblePublicKey(kind, keys[0]!.spki));
    const sigs = msgs.map((m) => nobleSign(kind, kp.secretKey, m));
    expect((await verifySignatures(two, kind, [keys[0]!.spki], msgs, sigs)).every(Boolean)).toBe(true);
    expect((await verifySignatures(two, kind, [keys[1]!.spki], msgs, sigs)).some(Boolean)).toBe(false);
  });
});

describe("verifyDigests (prepared SHA-256 digests, RSA-2048)", () => {
  let pair: KeyPairDer;
  let other: KeyPairDer;
  const data = messages(40, "digest");
  const digests = data.map((m) => new Uint8Array(createHash("sha256").update(m).digest()));
  let sigs: Uint8Array[];
  beforeAll(async () => {
    const pairs = await generateKeyPairs(one, "rsa2048", 2);
    pair = pairs[0]!;
    other = pairs[1]!;
    sigs = await signMessages(one, "rsa2048", [pair.pkcs8], data);
  });

  it("accepts what sign produced, on 1 and 2 threads, and agrees with node:crypto verify", async () => {
    for (const pool of [one, two]) {
      const ok = await verifyDigests(pool, "rsa2048", [pair.spki], digests, sigs, undefined, {
        batchSize: 7,
      });
      expect(ok).toEqual(data.map(() => true));
    }
    const key = createPublicKey({ key: Buffer.from(pair.spki), format: "der", type: "spki" });
    expect(nodeVerify("sha256", data[0]!, key, sigs[0]!)).toBe(true);
  });

  it("rejects a changed digest, a changed or truncated signature, another key, and a SHA-1 DigestInfo", async () => {
    const badDigest = Uint8Array.from(digests[0]!);
    badDigest[31]! ^= 1;
    const badSig = Uint8Array.from(sigs[1]!);
    badSig[100]! ^= 1;
    const ok = await verifyDigests(
      two,
      "rsa2048",
      [pair.spki, other.spki],
      [badDigest, digests[1]!, digests[2]!, digests[3]!, digests[4]!.subarray(0, 20)],
      [sigs[0]!, badSig, sigs[2]!.subarray(1), sigs[3]!, sigs[4]!],
      [0, 0, 0, 1, 0],
    );
    expect(ok).toEqual([false, false, false, false, false]);
    // A valid PKCS#1 v1.5 signature whose DigestInfo names SHA-1 must not pass as SHA-256.
    const sha1 = new Uint8Array(createHash("sha1").update(data[5]!).digest());
    const priv = createPrivateKey({ key: Buffer.from(pair.pkcs8), format: "der", type: "pkcs8" });
    const sha1Sig = new Uint8Array(nodeSign("sha1", data[5]!, priv));
    const padded = new Uint8Array(32);
    padded.set(sha1);
    const pub = createPublicKey({ key: Buffer.from(pair.spki), format: "der", type: "spki" });
    expect(verifyRsaDigest(pub, padded, sha1Sig)).toBe(false);
  });

  it("agrees with node:crypto verify on every malformed encoding and mutated signature (mulberry32 seed 10)", () => {
    // RFC 8017 §8.2.2: EM = 00 01 FF…FF 00 DigestInfo(SHA-256, H). Malformed EMs are turned into
    // "signatures" with the raw private-key operation, so each one decrypts to exactly that EM.
    const priv = createPrivateKey({ key: Buffer.from(pair.pkcs8), format: "der", type: "pkcs8" });
    const pub = createPublicKey({ key: Buffer.from(pair.spki), format: "der", type: "spki" });
    const info = Buffer.from("3031300d060960864801650304020105000420", "hex");
    const k = 256;
    const emOf = (digest: Uint8Array, prefix = info, psLen = k - 3 - prefix.length - 32, tail = 0) => {
      const em = Buffer.alloc(k, 0xff);
      em[0] = 0;
      em[1] = 1;
      em[2 + psLen] = 0;
      Buffer.from(prefix).copy(em, 3 + psLen);
      Buffer.from(digest).copy(em, 3 + psLen + prefix.length);
      for (let i = 0; i < tail; i++) em[k - tail + i] = 0x5a;
      return em;
    };
    const raw = (em: Buffer) =>
      new Uint8Array(privateEncrypt({ key: priv, padding: constants.RSA_NO_PADDING }, em));
    const m = data[7]!;
    const d = digests[7]!;
    const both = (sig: Uint8Array) => [verifyRsaDigest(pub, d, sig), nodeVerify("sha256", m, pub, sig)];
    expect(both(raw(emOf(d)))).toEqual([true, true]);
    const crafted: Buffer[] = [];
    const first = emOf(d);
    first[0] = 1;
    crafted.push(first);
    const type2 = emOf(d);
    type2[1] = 2;
    crafted.push(type2);
    const pad = emOf(d);
    pad[40] = 0xfe;
    crafted.push(pad);
    // DigestInfo without the NULL parameters (30 2f 30 0b 06 09 … 04 20).
    crafted.push(emOf(d, Buffer.from("302f300b0609608648016503040201" + "0420", "hex")));
    // Shorter padding with garbage after the digest (Bleichenbacher 2006): must not pass.
    crafted.push(emOf(d, info, k - 3 - info.length - 32 - 8, 8));
    // A padding string shorter than 8 bytes.
    const short = Buffer.concat([
      Buffer.from([0, 1, 0xff, 0xff, 0]),
      Buffer.alloc(k - 5 - 51, 0x11),
      info,
      d,
    ]);
    crafted.push(short);
    // Separator missing.
    const nosep = emOf(d);
    nosep[k - 52] = 0xff;
    crafted.push(nosep);
    for (const em of crafted) expect(both(raw(em))).toEqual([false, false]);
    // Random byte mutations of a good EM, and bit flips of a good signature.
    const rnd = mulberry32(10);
    const good = sigs[7]!;
    let tried = 0;
    for (let i = 0; i < 300; i++) {
      const em = emOf(d);
      for (let j = 1 + randomInt(rnd, 3); j > 0; j--) em[1 + randomInt(rnd, k - 1)] = randomInt(rnd, 256);
      const [ours, node] = both(raw(em));
      expect(ours, `EM mutation ${i}`).toBe(node);
      const sig = Uint8Array.from(good);
      sig[randomInt(rnd, sig.length)]! ^= 1 << randomInt(rnd, 8);
      expect(both(sig), `signature bit flip ${i}`).toEqual([false, false]);
      tried++;
    }
    expect(tried).toBe(300);
  });

  it("refuses other key kinds and mismatched lists with a typed error", async () => {
    await expect(verifyDigests(one, "p256", [pair.spki], digests, sigs)).rejects.toThrow(CryptoTaskError);
    await expect(verifyDigests(one, "rsa2048", [pair.spki], digests, sigs.slice(1))).rejects.toThrow(
      /39 signatures for 40 digests/,
    );
    expect(() =>
      handleCryptoTask({
        op: "verify",
        kind: "p384",
        keys: packBytes([pair.spki]),
        keyOf: null,
        messages: packBytes([digests[0]!]),
        signatures: packBytes([sigs[0]!]),
        prehashed: true,
      }),
    ).toThrow(/rsa2048 only/);
  });
});
