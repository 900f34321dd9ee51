/**
 * RSA-2048 sign and verify throughput of sim/crypto's batched operations (`signMessages` /
 * `verifyDigests`, 256 / 2,048 operations per task) against `openssl speed -elapsed rsa2048` with as
 * many processes, measured in the same run (DESIGN.md §8). Same work on both sides: RSA-2048
 * PKCS#1 v1.5 with one key object reused for every operation, back to back. Verification checks a
 * prepared SHA-256 digest on both sides (openssl verifies a ready digest; ours `verifyDigests`, no
 * hashing); signing hashes a 35-byte message first on our side (well under 1 % of a signature).
 * Target: ≥ 0.9× openssl.
 *
 * - `crypto.batch.rsa2048.<op>.main-thread`: a `CryptoPool` with `threads: 1`, which runs its tasks
 *   in the calling thread, no worker — against one openssl process.
 * - `crypto.pool.rsa2048.<op>.t<N>`: N piscina worker threads (every core) — against `-multi N`.
 *
 * Ours: tinybench over whole batches (mean ± RME of the batch time), openssl: the mean of a few
 * `openssl speed` runs, one before ours and the rest after. Both are wall-clock rates.
 * @module
 */
import { createHash } from "node:crypto";
import { CryptoPool, signMessages, verifyDigests, verifySignatures } from "../sim/crypto/index.js";
import type { CryptoSizes } from "./_crypto-common.js";
import {
  ALL_THREADS,
  benchRsaKey,
  cryptoSizes,
  MESSAGE,
  opensslReference,
  runOpensslSpeed,
} from "./_crypto-common.js";
import type { BenchResult, Measurement } from "./_shared.js";
import { log, makeResult, micro, ratePerSecond } from "./_shared.js";

const SIGN_TASK = 256;
const VERIFY_TASK = 2048;
const TARGET = 0.9;

/** Batch size: whole tasks per thread, about `seconds` of work at `rate` operations per second. */
function batchSize(rate: number, seconds: number, perTask: number, threads: number): number {
  const unit = perTask * threads;
  return Math.max(unit, Math.round((rate * seconds) / unit) * unit);
}

async function measureThreads(threads: number, s: CryptoSizes, quick: boolean): Promise<BenchResult[]> {
  const key = await benchRsaKey();
  const pool = new CryptoPool({ threads });
  try {
    await pool.warmUp();
    const where = threads === 1 ? "main-thread" : `t${threads}`;
    log(
      `crypto rsa2048 batches, ${threads === 1 ? "in the main thread (threads: 1, no worker)" : `${threads} worker threads`}`,
    );
    const probe = Array.from({ length: SIGN_TASK * threads }, (_, i) =>
      Uint8Array.of(i & 255, i >> 8, ...MESSAGE),
    );
    const t0 = performance.now();
    const probeSigs = await signMessages(pool, "rsa2048", [key.pkcs8], probe);
    const rate0 = (probe.length * 1000) / (performance.now() - t0);
    if (!(await verifySignatures(pool, "rsa2048", [key.spki], probe, probeSigs)).every(Boolean))
      throw new Error("batched verification rejected batched signatures");
    const nSign = batchSize(rate0, s.batchSeconds, SIGN_TASK, threads);
    const nVerify = batchSize(rate0 * 12, s.batchSeconds, VERIFY_TASK, threads);
    const msgs = Array.from({ length: nSign }, (_, i) => probe[i % probe.length]!);
    const probeDigests = probe.map((m) => new Uint8Array(createHash("sha256").update(m).digest()));
    const vm = Array.from({ length: nVerify }, (_, i) => probeDigests[i % probe.length]!);
    const vs = Array.from({ length: nVerify }, (_, i) => probeSigs[i % probe.length]!);
    const budget = { timeMs: s.batchMs, iterations: 3 };
    runOpensslSpeed(threads, s, 1); // one openssl run before ours, the rest after
    const sign = await micro(
      `sign ${nSign} in tasks of ${SIGN_TASK}`,
      () => signMessages(pool, "rsa2048", [key.pkcs8], msgs),
      budget,
    );
    const verify = await micro(
      `verify ${nVerify} prepared digests in tasks of ${VERIFY_TASK}`,
      async () => {
        const ok = await verifyDigests(pool, "rsa2048", [key.spki], vm, vs);
        if (!ok.every(Boolean)) throw new Error("a batched verification failed");
      },
      budget,
    );
    const prefix = threads === 1 ? "crypto.batch" : "crypto.pool";
    return (
      [
        ["sign", sign, nSign],
        ["verify", verify, nVerify],
      ] as const
    ).map(([op, stats, n]) =>
      makeResult(
        {
          name: `${prefix}.rsa2048.${op}.${where}`,
          unit: "ops/s",
          value: ratePerSecond(stats, n),
          higherIsBetter: true,
          reference: opensslReference(threads, s, op),
          target: TARGET,
          stats,
        },
        quick,
      ),
    );
  } finally {
    await pool.destroy();
  }
}

/** Batched RSA-2048 in the main thread and on every core, against openssl speed. */
export const batchMeasurement: Measurement = async (options) => {
  const s = cryptoSizes(options);
  const out: BenchResult[] = [];
  for (const threads of [...new Set([1, ALL_THREADS])])
    out.push(...(await measureThreads(threads, s, options.quick)));
  return out;
};
