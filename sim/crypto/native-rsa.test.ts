import { spawnSync } from "node:child_process";
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import type { KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { KeyPairDer } from "./algorithms.js";
import { generateKeyPairDer } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import type { RsaDigestVerifier } from "./native-rsa.js";
import { defaultAddonPath, rsaDigestVerifier, verifyDigestList } from "./native-rsa.js";
import { CryptoPool, signMessages, verifyDigests } from "./pool.js";
import { projectRoot } from "./project-root.js";
import { checkRsaFuzzChunk, emptyTally, encodedBlock, makeRsaFuzzFixture, rsaFuzzChunk } from "./rsa-fuzz.js";
import type { CryptoTask, VerifyResult, VerifyTask } from "./tasks.js";
import { handleCryptoTask, packBytes, packU32 } from "./tasks.js";

// Build the addon if it is missing or older than its source (a no-op when `npm test` built it).
spawnSync(process.execPath, [join(projectRoot(), "scripts", "build-native.mjs")], { stdio: "ignore" });
const BUILT = existsSync(defaultAddonPath());
const MISSING =
  "the native RSA addon is not built (npm run native:build needs a C compiler and Node's headers)";

const enc = new TextEncoder();
const data = Array.from({ length: 24 }, (_, i) => enc.encode(`native challenge #${i}`));
const sha256 = (m: Uint8Array) => new Uint8Array(createHash("sha256").update(m).digest());
const digests = data.map(sha256);
const K = 256;
const INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

let pair: KeyPairDer;
let other: KeyPairDer;
let priv: KeyObject;
let pub: KeyObject;
let sigs: Uint8Array[];
let modulus: Uint8Array;
let nodeV: RsaDigestVerifier;
let nativeV: RsaDigestVerifier;

beforeAll(() => {
  pair = generateKeyPairDer("rsa2048");
  other = generateKeyPairDer("rsa2048");
  priv = createPrivateKey({ key: Buffer.from(pair.pkcs8), format: "der", type: "pkcs8" });
  pub = createPublicKey({ key: Buffer.from(pair.spki), format: "der", type: "spki" });
  sigs = data.map((m) => new Uint8Array(nodeSign("sha256", m, priv)));
  modulus = new Uint8Array(Buffer.from(pub.export({ format: "jwk" }).n!, "base64url"));
  nodeV = rsaDigestVerifier({ choice: "node:crypto" });
  if (BUILT) nativeV = rsaDigestVerifier({ choice: "native" });
});

/** A "signature" that the public operation turns into exactly `em` (raw private-key operation). */
const raw = (em: Uint8Array) =>
  new Uint8Array(privateEncrypt({ key: priv, padding: constants.RSA_NO_PADDING }, em));

/** Verdicts of one verifier on single pairs under `spki`, through the list path (lengths → 0). */
const one = (v: RsaDigestVerifier, spki: Uint8Array, d: Uint8Array, s: Uint8Array) =>
  verifyDigestList(v, [spki], () => 0, [d], [s])[0]!;

if (!BUILT)
  describe("native RSA addon", () => {
    if (process.env.CI || process.env.MYNA_NATIVE_REQUIRED === "1")
      it("is built", () => expect.fail(MISSING));
    else it.skip(MISSING, () => {});
  });

describe.runIf(BUILT)("native RSA addon against node:crypto (same verdicts)", () => {
  it("loads as the native back-end; the node back-end is node:crypto", () => {
    expect(nativeV.backend).toBe("native");
    expect(nativeV.fallbackReason).toBeNull();
    expect(nodeV.backend).toBe("node:crypto");
    expect(nativeV.modulusBytes(pair.spki)).toBe(256);
    expect(nodeV.modulusBytes(pair.spki)).toBe(256);
  });

  it("accepts valid signatures, packed in one call and one by one", () => {
    const d = Buffer.concat(digests);
    const s = Buffer.concat(sigs);
    for (const v of [nativeV, nodeV]) {
      const out = new Uint8Array(data.length);
      expect(v.verifyPacked(pair.spki, d, s, out)).toBe(data.length);
      expect([...out]).toEqual(data.map(() => 1));
      expect(one(v, pair.spki, digests[3]!, sigs[3]!)).toBe(1);
    }
    expect(nodeVerify("sha256", data[3]!, pub, sigs[3]!)).toBe(true);
  });

  it("rejects flipped bits, another key, wrong lengths, all-zero, modulus-sized garbage and ≥ n signatures alike", () => {
    const cases: [string, Uint8Array, Uint8Array, Uint8Array][] = [];
    for (let bit = 0; bit < 2048; bit += 97) {
      const s = Uint8Array.from(sigs[0]!);
      s[bit >> 3]! ^= 1 << (bit & 7);
      cases.push([`signature bit ${bit}`, pair.spki, digests[0]!, s]);
    }
    for (let bit = 0; bit < 256; bit += 13) {
      const d = Uint8Array.from(digests[1]!);
      d[bit >> 3]! ^= 1 << (bit & 7);
      cases.push([`digest bit ${bit}`, pair.spki, d, sigs[1]!]);
    }
    cases.push(["another key", other.spki, digests[2]!, sigs[2]!]);
    cases.push(["another digest", pair.spki, digests[3]!, sigs[2]!]);
    cases.push(["all-zero signature", pair.spki, digests[2]!, new Uint8Array(K)]);
    cases.push(["all-ones signature (> n)", pair.spki, digests[2]!, new Uint8Array(K).fill(0xff)]);
    cases.push(["signature = n", pair.spki, digests[2]!, modulus]);
    const nMinus1 = Uint8Array.from(modulus);
    nMinus1[K - 1]! -= 1;
    cases.push(["signature = n - 1", pair.spki, digests[2]!, nMinus1]);
    cases.push([
      "signature = 1",
      pair.spki,
      digests[2]!,
      Uint8Array.from({ length: K }, (_, i) => +(i === K - 1)),
    ]);
    const rnd = mulberry32(21);
    for (let i = 0; i < 8; i++)
      cases.push([
        `garbage ${i}`,
        pair.spki,
        digests[2]!,
        Uint8Array.from({ length: K }, () => randomInt(rnd, 256)),
      ]);
    cases.push(["short digest", pair.spki, digests[4]!.subarray(0, 31), sigs[4]!]);
    cases.push(["long digest", pair.spki, Uint8Array.from([...digests[4]!, 0]), sigs[4]!]);
    cases.push(["empty digest", pair.spki, new Uint8Array(0), sigs[4]!]);
    cases.push(["short signature", pair.spki, digests[4]!, sigs[4]!.subarray(1)]);
    cases.push(["long signature", pair.spki, digests[4]!, Uint8Array.from([0, ...sigs[4]!])]);
    cases.push(["empty signature", pair.spki, digests[4]!, new Uint8Array(0)]);
    for (const [what, spki, d, s] of cases) {
      expect([one(nativeV, spki, d, s), one(nodeV, spki, d, s)], what).toEqual([0, 0]);
    }
    expect(cases.length).toBeGreaterThan(40);
  });

  it("rejects every malformed PKCS#1 v1.5 encoding alike, and agrees with crypto.verify", () => {
    const d = digests[5]!;
    const m = data[5]!;
    const crafted: [string, Buffer][] = [];
    const mutate = (what: string, f: (em: Buffer) => void) => {
      const em = encodedBlock(d);
      f(em);
      crafted.push([what, em]);
    };
    mutate("first byte 1", (em) => (em[0] = 1));
    mutate("block type 2", (em) => (em[1] = 2));
    mutate("a padding byte", (em) => (em[40] = 0xfe));
    mutate("no separator", (em) => (em[K - 52] = 0xff));
    mutate("SHA-1 OID", (em) => (em[K - 51 + 17] = 0x1a));
    mutate("DigestInfo length", (em) => (em[K - 51 + 1] = 0x30));
    // DigestInfo without the NULL parameters, one more byte of padding.
    const noNull = Buffer.alloc(K, 0xff);
    noNull[0] = 0;
    noNull[1] = 1;
    noNull[K - 50] = 0;
    Buffer.from("302f300b06096086480165030402010420", "hex").copy(noNull, K - 49);
    Buffer.from(d).copy(noNull, K - 32);
    crafted.push(["DigestInfo without NULL", noNull]);
    // Shorter padding with garbage after the digest (Bleichenbacher 2006).
    const tail = Buffer.alloc(K, 0xff);
    tail[0] = 0;
    tail[1] = 1;
    tail[K - 60] = 0;
    INFO.copy(tail, K - 59);
    Buffer.from(d).copy(tail, K - 40);
    tail.fill(0x5a, K - 8);
    crafted.push(["garbage after the digest", tail]);
    expect(one(nativeV, pair.spki, d, raw(encodedBlock(d)))).toBe(1);
    for (const [what, em] of crafted) {
      const s = raw(em);
      const verdicts = [
        one(nativeV, pair.spki, d, s),
        one(nodeV, pair.spki, d, s),
        +nodeVerify("sha256", m, pub, s),
      ];
      expect(verdicts, what).toEqual([0, 0, 0]);
    }
  });

  it("fuzz: 3,000 seeded cases give the same verdict from the addon, node:crypto's publicDecrypt path and crypto.verify (mulberry32 seed 2026)", () => {
    const f = makeRsaFuzzFixture();
    const rnd = mulberry32(2026);
    const tally = emptyTally();
    // Chunks of 50 through the list path, so runs, key switches and wrong lengths mix.
    for (let c = 0; c < 60; c++) checkRsaFuzzChunk(f, nativeV, nodeV, rsaFuzzChunk(f, rnd, 50), tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.cases).toBe(3000);
    // Both kinds of verdict occur in quantity and many cases meet crypto.verify: not vacuous.
    expect(tally.valid).toBeGreaterThan(300);
    expect(tally.invalid).toBeGreaterThan(2000);
    expect(tally.againstNodeVerify).toBeGreaterThan(1500);
  });

  it("refuses keys that are not RSA SubjectPublicKeyInfo DER with the same typed error", () => {
    const ec = generateKeyPairDer("p256").spki;
    const ed = generateKeyPairDer("ed25519").spki;
    const pss = new Uint8Array(
      generateKeyPairSync("rsa-pss", { modulusLength: 1024 }).publicKey.export({
        type: "spki",
        format: "der",
      }),
    );
    const trailing = Uint8Array.from([...pair.spki, 0]);
    const truncated = pair.spki.subarray(0, pair.spki.length - 1);
    const garbage = Uint8Array.from({ length: 294 }, (_, i) => (i * 37) & 255);
    for (const [what, spki] of [
      ["P-256", ec],
      ["Ed25519", ed],
      ["RSA-PSS", pss],
      ["trailing byte", trailing],
      ["truncated", truncated],
      ["garbage", garbage],
      ["empty", new Uint8Array(0)],
      ["oversized", new Uint8Array(20_000)],
    ] as const) {
      for (const v of [nativeV, nodeV]) {
        expect(() => one(v, spki, digests[0]!, sigs[0]!), `${what} (${v.backend})`).toThrow(CryptoTaskError);
      }
    }
  });

  it("checks packed lengths in JS (typed error) and again in C (a JS error with a code, never an abort)", () => {
    for (const v of [nativeV, nodeV]) {
      expect(() => v.verifyPacked(pair.spki, new Uint8Array(31), sigs[0]!, new Uint8Array(1))).toThrow(
        CryptoTaskError,
      );
      expect(() => v.verifyPacked(pair.spki, digests[0]!, new Uint8Array(255), new Uint8Array(1))).toThrow(
        CryptoTaskError,
      );
      expect(() => v.verifyPacked(pair.spki, digests[0]!, sigs[0]!, new Uint8Array(2))).toThrow(
        CryptoTaskError,
      );
      expect(v.verifyPacked(pair.spki, new Uint8Array(0), new Uint8Array(0), new Uint8Array(0))).toBe(0);
    }
    // The addon called directly, past the JS checks.
    const addon = createRequire(import.meta.url)(defaultAddonPath()) as {
      importKey(spki: unknown): object;
      modulusBytes(key: unknown): number;
      verify(key: unknown, d: unknown, s: unknown, out?: unknown): number;
    };
    const key = addon.importKey(pair.spki);
    expect(addon.modulusBytes(key)).toBe(256);
    const out = new Uint8Array(2);
    const two = (a: Uint8Array, b: Uint8Array) => Buffer.concat([a, b]);
    expect(addon.verify(key, two(digests[0]!, digests[1]!), two(sigs[0]!, sigs[2]!), out)).toBe(1);
    expect([...out]).toEqual([1, 0]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return "no error";
    };
    const d2 = two(digests[0]!, digests[1]!);
    const s2 = two(sigs[0]!, sigs[1]!);
    expect(code(() => addon.verify(key, d2.subarray(1), s2, out))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify(key, d2, s2.subarray(1), out))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify(key, d2, s2, new Uint8Array(3)))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify(key, d2, s2, new Uint16Array(2)))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify(key, [...d2], s2, out))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify({}, d2, s2, out))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.verify(key, d2, s2))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.modulusBytes(Object.create(null)))).toBe("E_NATIVE_RSA_ARGS");
    expect(code(() => addon.importKey(Uint8Array.from([...pair.spki, 0])))).toBe("E_NATIVE_RSA_KEY");
    expect(code(() => addon.importKey(generateKeyPairDer("p256").spki))).toBe("E_NATIVE_RSA_KEY");
    expect(code(() => addon.importKey("not bytes"))).toBe("E_NATIVE_RSA_ARGS");
    // After all those failures (OpenSSL error queue cleared), node:crypto still works normally.
    expect(nodeVerify("sha256", data[0]!, pub, sigs[0]!)).toBe(true);
    expect(() =>
      createPublicKey({ key: Buffer.from(truncatedSpki()), format: "der", type: "spki" }),
    ).toThrow();
    expect(addon.verify(key, d2, s2, out)).toBe(2);
  });

  it("frees keys and contexts when their JS objects are collected (17,000 imports)", () => {
    const script = `
      const addon = require(${JSON.stringify(defaultAddonPath())});
      const spki = Buffer.from(${JSON.stringify(Buffer.from(pair.spki).toString("base64"))}, "base64");
      const turn = () => new Promise((r) => setImmediate(r));
      (async () => {
        let held = [];
        for (let i = 0; i < 1000; i++) held.push(addon.importKey(spki));
        const whileHeld = addon.liveKeys();
        held = null;
        for (let r = 0; r < 16; r++) {
          for (let i = 0; i < 1000; i++) addon.importKey(spki);
          global.gc();
          await turn();
        }
        global.gc();
        await turn();
        await turn();
        console.log(JSON.stringify({ whileHeld, after: addon.liveKeys() }));
      })();`;
    const r = spawnSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const { whileHeld, after } = JSON.parse(r.stdout) as { whileHeld: number; after: number };
    expect(whileHeld).toBeGreaterThanOrEqual(1000);
    // Finalizers ran: of the 17,000 keys, at most the last round's may still be waiting for one.
    expect(after).toBeLessThan(1000);
  });
});

/** A truncated copy of the test key (node must report its own parse failure). */
function truncatedSpki(): Uint8Array {
  return pair.spki.subarray(0, 100);
}

describe.runIf(BUILT)("the verify task's paths (one packed call, or per-run lists)", () => {
  it("gives the same verdicts through the packed fast path and the list path, with each back-end", () => {
    const bad = Uint8Array.from(sigs[2]!);
    bad[200]! ^= 0x80;
    const task = (ds: Uint8Array[], ss: Uint8Array[], keyOf: number[] | null): VerifyTask => ({
      op: "verify",
      kind: "rsa2048",
      keys: packBytes([pair.spki, other.spki]),
      keyOf: keyOf ? packU32(keyOf) : null,
      messages: packBytes(ds),
      signatures: packBytes(ss),
      prehashed: true,
    });
    const ds = digests.slice(0, 6);
    const ss = [sigs[0]!, sigs[1]!, bad, sigs[3]!, sigs[0]!, sigs[5]!];
    const expected = [1, 1, 0, 1, 0, 1];
    const cases: [string, CryptoTask, number[]][] = [
      ["uniform, one key (packed call)", task(ds, ss, null), expected],
      ["uniform, keyOf given (list path)", task(ds, ss, [0, 0, 0, 0, 0, 0]), expected],
      [
        "a short digest, one key (list path)",
        task([...ds.slice(0, 5), ds[5]!.subarray(2)], ss, null),
        [1, 1, 0, 1, 0, 0],
      ],
      [
        "a long signature, one key (list path)",
        task(ds, [...ss.slice(0, 5), Uint8Array.from([0, ...ss[5]!])], null),
        [1, 1, 0, 1, 0, 0],
      ],
      ["a second key (list path)", task(ds, ss, [0, 1, 0, 1, 0, 0]), [1, 0, 0, 0, 0, 1]],
      ["empty", task([], [], null), []],
    ];
    for (const v of [nativeV, nodeV]) {
      for (const [what, t, want] of cases) {
        const r = handleCryptoTask(t, { rsa: v }) as VerifyResult;
        expect([...r.valid], `${what} (${v.backend})`).toEqual(want);
      }
      // Bytes beyond the last item: not the packed shape, and the list path reads only the items.
      const extra = task(ds, ss, null);
      const padded = {
        ...extra,
        messages: {
          bytes: Buffer.concat([extra.messages.bytes, Buffer.alloc(32)]),
          ends: extra.messages.ends,
        },
      };
      expect([...(handleCryptoTask(padded, { rsa: v }) as VerifyResult).valid]).toEqual(expected);
    }
  });
});

describe("back-end choice and the fallback", () => {
  it("falls back to node:crypto when the addon is absent (auto), and refuses when native is required", () => {
    const missing = join(projectRoot(), "build", "no-such-addon.node");
    const v = rsaDigestVerifier({ choice: "auto", addonPath: missing });
    expect(v.backend).toBe("node:crypto");
    expect(v.fallbackReason).toContain("no-such-addon.node");
    expect(one(v, pair.spki, digests[0]!, sigs[0]!)).toBe(1);
    expect(one(v, pair.spki, digests[1]!, sigs[0]!)).toBe(0);
    expect(() => rsaDigestVerifier({ choice: "native", addonPath: missing })).toThrow(CryptoTaskError);
    expect(() => rsaDigestVerifier({ choice: "fast" as never })).toThrow(
      /expected one of auto, native, node:crypto/,
    );
  });

  it("a file that is not an addon is refused the same way", () => {
    const source = join(projectRoot(), "native", "rsa_verify.c");
    expect(rsaDigestVerifier({ addonPath: source }).backend).toBe("node:crypto");
    expect(() => rsaDigestVerifier({ choice: "native", addonPath: source })).toThrow(/did not load/);
    const json = join(projectRoot(), "package.json");
    expect(rsaDigestVerifier({ addonPath: json }).fallbackReason).toMatch(/does not export importKey/);
  });

  describe("on the pool", () => {
    const pools: CryptoPool[] = [];
    afterAll(async () => {
      for (const p of pools) await p.destroy();
    });

    it("verifyDigests gives the same verdicts with each back-end, in the calling thread and on 2 workers", async () => {
      const forced = [
        new CryptoPool({ threads: 1, rsaVerify: "node:crypto" }),
        new CryptoPool({ threads: 2, rsaVerify: "node:crypto" }),
      ];
      const auto = [new CryptoPool({ threads: 1 }), new CryptoPool({ threads: 2 })];
      pools.push(...forced, ...auto);
      for (const p of forced) expect(await p.rsaVerifyBackend()).toBe("node:crypto");
      for (const p of auto) expect(await p.rsaVerifyBackend()).toBe(BUILT ? "native" : "node:crypto");
      const bad = Uint8Array.from(sigs[3]!);
      bad[7]! ^= 4;
      const ds = [...digests, digests[0]!.subarray(1), digests[2]!];
      const ss = [...sigs.slice(0, 3), bad, ...sigs.slice(4), sigs[0]!, sigs[1]!];
      const keyOf = ds.map((_, i) => (i % 5 === 4 ? 1 : 0));
      const expected = ds.map((_, i) => i < data.length && i !== 3 && i % 5 !== 4);
      for (const p of [...forced, ...auto]) {
        const got = await verifyDigests(p, "rsa2048", [pair.spki, other.spki], ds, ss, keyOf, {
          batchSize: 5,
        });
        expect(got, `threads ${p.threads}, ${p.rsaVerifyChoice}`).toEqual(expected);
      }
      // A key that is not RSA: a typed error from the calling thread and from a worker alike.
      const ec = generateKeyPairDer("p256").spki;
      for (const p of [...forced, ...auto])
        await expect(
          verifyDigests(p, "rsa2048", [pair.spki, ec], ds, ss, keyOf),
          `threads ${p.threads}, ${p.rsaVerifyChoice}`,
        ).rejects.toThrow(CryptoTaskError);
      const signed = await signMessages(auto[1]!, "rsa2048", [pair.pkcs8], data);
      expect(await verifyDigests(auto[1]!, "rsa2048", [pair.spki], digests, signed)).toEqual(
        data.map(() => true),
      );
    });
  });
});
