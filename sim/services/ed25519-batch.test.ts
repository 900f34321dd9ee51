/**
 * Ed25519 jobs of the worker pool (ed25519-batch.ts, verify-pool.ts `ed25519`): each job of a
 * batch gets the answer node:crypto gives it alone — a good signature verifies, a flipped bit, a
 * foreign key or a wrong length does not, a signing job's signature verifies with the signer's public
 * key and not with another's — whether it runs here or as part of a burst on a pool thread.
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { TestPki } from "./demo-pki.js";
import { makeTestPki } from "./demo-pki.js";
import type { Ed25519Job } from "./ed25519-batch.js";
import { Ed25519Keys, packEd25519Batch, runEd25519Batch, runEd25519Job } from "./ed25519-batch.js";
import { VerifyPool } from "./verify-pool.js";

interface Pair {
  readonly privateKey: KeyObject;
  readonly raw: Uint8Array;
  readonly der: Uint8Array;
}

function pair(): Pair {
  const kp = generateKeyPairSync("ed25519");
  const spki = kp.publicKey.export({ type: "spki", format: "der" });
  return {
    privateKey: kp.privateKey,
    raw: new Uint8Array(spki.subarray(spki.length - 32)),
    der: new Uint8Array(kp.privateKey.export({ type: "pkcs8", format: "der" })),
  };
}

const PAIRS = [pair(), pair(), pair()];

/** Seeded jobs: good, bit-flipped, foreign-key and short signatures; signing jobs with the right or a foreign public key. */
function jobs(n: number, seed: number): { job: Ed25519Job; expected: boolean }[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const message = Uint8Array.from({ length: 1 + randomInt(rnd, 300) }, () => randomInt(rnd, 256));
    const signer = PAIRS[randomInt(rnd, PAIRS.length)]!;
    const other = PAIRS.find((p) => p !== signer)!;
    const kind = randomInt(rnd, 6);
    if (kind >= 4)
      return {
        job: {
          kind: "sign",
          privateKeyDer: signer.der,
          publicKey: kind === 4 ? signer.raw : other.raw,
          message,
        },
        expected: kind === 4,
      };
    const signature = new Uint8Array(sign(null, message, signer.privateKey));
    if (kind === 1) signature[randomInt(rnd, 64)]! ^= 1 << randomInt(rnd, 8);
    const publicKey = kind === 2 ? other.raw : signer.raw;
    return {
      job: {
        kind: "verify",
        publicKey,
        message,
        signature: kind === 3 ? signature.subarray(0, 63) : signature,
      },
      expected: kind === 0,
    };
  });
}

function reference(job: Ed25519Job, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), job.publicKey]);
  return verify(null, job.message, { key: spki, format: "der", type: "spki" }, signature);
}

describe("Ed25519 batches", () => {
  it("answers every job of a packed batch as node:crypto answers it alone (240 seeded jobs)", () => {
    const list = jobs(240, 12);
    const res = runEd25519Batch(packEd25519Batch(list.map((j) => j.job)), new Ed25519Keys());
    list.forEach(({ job, expected }, i) => {
      expect(res.ok[i] === 1, `job ${i} (${job.kind})`).toBe(expected);
      if (job.kind === "sign") {
        const sig = res.signatures.subarray(64 * i, 64 * i + 64);
        expect(reference(job, sig)).toBe(expected);
        expect(
          reference({ ...job, publicKey: PAIRS.find((p) => p.der === job.privateKeyDer)!.raw }, sig),
        ).toBe(true);
      } else expect(reference(job, job.signature)).toBe(expected);
    });
  });

  it("refuses a public key that is not 32 bytes without throwing", () => {
    const m = new Uint8Array([1, 2, 3]);
    const r = runEd25519Job(
      { kind: "verify", publicKey: PAIRS[0]!.raw.subarray(0, 31), message: m, signature: new Uint8Array(64) },
      new Ed25519Keys(),
    );
    expect(r.ok).toBe(false);
  });
});

describe("VerifyPool.ed25519", () => {
  let pki: TestPki;
  let pool: VerifyPool;

  beforeAll(async () => {
    pki = await makeTestPki(1);
    pool = new VerifyPool(new Uint8Array(readFileSync(join(pki.dir, "auth-root.der"))), 1);
  }, 60_000);

  afterAll(async () => {
    await pool?.destroy();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it("a burst of 300 seeded jobs on one thread: each gets its own answer", async () => {
    const list = jobs(300, 7);
    const out = await Promise.all(list.map(({ job }) => pool.ed25519(job)));
    out.forEach((r, i) => {
      const { job, expected } = list[i]!;
      expect(r.ok, `job ${i} (${job.kind})`).toBe(expected);
      if (job.kind === "sign") {
        expect(r.signature.length).toBe(64);
        expect(reference(job, r.signature)).toBe(expected);
      } else expect(r.signature.length).toBe(0);
    });
  });
});
