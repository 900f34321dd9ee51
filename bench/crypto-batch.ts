/**
 * RSA-2048 sign and verify throughput of sim/crypto's batched operations (`signMessages` /
 * `verifyDigests`, 256 / 2,048 operations per task) against `openssl speed rsa2048` with as many
 * processes, measured in the same run (DESIGN.md §8). Same work on both sides: RSA-2048 PKCS#1 v1.5
 * with one key object reused for every operation, back to back. Verification checks a prepared
 * SHA-256 digest on both sides (openssl verifies a ready digest; ours `verifyDigests`, no hashing);
 * signing hashes a 35-byte message first on our side (well under 1 % of a signature).
 * Target: ≥ 0.9× openssl.
 *
 * - `crypto.batch.rsa2048.<op>.main-thread`: a `CryptoPool` with `threads: 1`, which runs its tasks
 *   in the calling thread, no worker — against one openssl process (`-elapsed`: per wall second).
 * - `crypto.pool.rsa2048.<op>.t<N>`: N piscina worker threads (every core) — against `-multi N`.
 * - Verification rows run the product path — the pool's default back-end, the native addon when it
 *   is built (sim/crypto/native-rsa.ts) — and name it in `implementation`; the `.node-crypto` rows
 *   beside them force node:crypto, for the record. Each has a `.cpu` twin: verifications per CPU
 *   second of the whole process (all threads) against `openssl speed rsa2048` without `-elapsed`
 *   (per user-CPU second, one process), so waiting for a core on a loaded machine counts on neither side.
 *
 * Ours: tinybench over whole batches (mean ± RME of the batch time), openssl: the mean of a few
 * `openssl speed` runs, one before ours and the rest after.
 * @module
 */
import { createHash } from "node:crypto";
import type { RsaVerifyBackend, RsaVerifyChoice } from "../sim/crypto/index.js";
import { CryptoPool, signMessages, verifyDigests, verifySignatures } from "../sim/crypto/index.js";
import type { CryptoSizes } from "./_crypto-common.js";
import {
  ALL_THREADS,
  benchRsaKey,
  cryptoSizes,
  MESSAGE,
  opensslCpuReference,
  opensslReference,
  runOpensslCpu,
  runOpensslSpeed,
} from "./_crypto-common.js";
import type { BenchResult, Measurement, MicroStats } from "./_shared.js";
import { log, makeResult, micro, ratePerSecond } from "./_shared.js";

const SIGN_TASK = 256;
const VERIFY_TASK = 2048;
const TARGET = 0.9;

/** Batch size: whole tasks per thread, about `seconds` of work at `rate` operations per second. */
function batchSize(rate: number, seconds: number, perTask: number, threads: number): number {
  const unit = perTask * threads;
  return Math.max(unit, Math.round((rate * seconds) / unit) * unit);
}

/** Wall-clock and CPU-time statistics of verifying `vm`/`vs` with one back-end choice. */
interface VerifyStats {
  readonly rsaVerify: RsaVerifyChoice;
  readonly backend: RsaVerifyBackend;
  readonly wall: MicroStats;
  readonly cpu: MicroStats;
}

async function measureVerify(
  threads: number,
  rsaVerify: RsaVerifyChoice,
  keySpki: Uint8Array,
  vm: readonly Uint8Array[],
  vs: readonly Uint8Array[],
  s: CryptoSizes,
): Promise<VerifyStats> {
  const pool = new CryptoPool({ threads, rsaVerify });
  try {
    await pool.warmUp();
    const backend = await pool.rsaVerifyBackend();
    const run = async () => {
      const ok = await verifyDigests(pool, "rsa2048", [keySpki], vm, vs);
      if (!ok.every(Boolean)) throw new Error(`a batched verification failed (${backend})`);
    };
    const budget = { timeMs: s.batchMs, iterations: 3 };
    const what = `verify ${vm.length} prepared digests in tasks of ${VERIFY_TASK} (${backend})`;
    const wall = await micro(what, run, budget);
    const cpu = await micro(`${what}, per CPU time of all threads`, run, { ...budget, clock: "cpu" });
    return { rsaVerify, backend, wall, cpu };
  } finally {
    await pool.destroy();
  }
}

async function measureThreads(threads: number, s: CryptoSizes, quick: boolean): Promise<BenchResult[]> {
  const key = await benchRsaKey();
  const where = threads === 1 ? "main-thread" : `t${threads}`;
  const prefix = threads === 1 ? "crypto.batch" : "crypto.pool";
  log(
    `crypto rsa2048 batches, ${threads === 1 ? "in the main thread (threads: 1, no worker)" : `${threads} worker threads`}`,
  );
  const pool = new CryptoPool({ threads });
  let sign: MicroStats;
  let nSign: number;
  let vm: Uint8Array[];
  let vs: Uint8Array[];
  try {
    await pool.warmUp();
    const probe = Array.from({ length: SIGN_TASK * threads }, (_, i) =>
      Uint8Array.of(i & 255, i >> 8, ...MESSAGE),
    );
    const t0 = performance.now();
    const probeSigs = await signMessages(pool, "rsa2048", [key.pkcs8], probe);
    const rate0 = (probe.length * 1000) / (performance.now() - t0);
    if (!(await verifySignatures(pool, "rsa2048", [key.spki], probe, probeSigs)).every(Boolean))
      throw new Error("batched verification rejected batched signatures");
    nSign = batchSize(rate0, s.batchSeconds, SIGN_TASK, threads);
    const nVerify = batchSize(rate0 * 14, s.batchSeconds, VERIFY_TASK, threads);
    const msgs = Array.from({ length: nSign }, (_, i) => probe[i % probe.length]!);
    const probeDigests = probe.map((m) => new Uint8Array(createHash("sha256").update(m).digest()));
    vm = Array.from({ length: nVerify }, (_, i) => probeDigests[i % probe.length]!);
    vs = Array.from({ length: nVerify }, (_, i) => probeSigs[i % probe.length]!);
    // One openssl run of each kind before ours, the rest after.
    runOpensslSpeed(threads, s, 1);
    runOpensslCpu(s, 1);
    sign = await micro(
      `sign ${nSign} in tasks of ${SIGN_TASK}`,
      () => signMessages(pool, "rsa2048", [key.pkcs8], msgs),
      { timeMs: s.batchMs, iterations: 3 },
    );
  } finally {
    await pool.destroy();
  }
  // The product path (the addon when built), then node:crypto forced, for the record.
  const verifies = [
    await measureVerify(threads, "auto", key.spki, vm, vs, s),
    await measureVerify(threads, "node:crypto", key.spki, vm, vs, s),
  ];
  const out = [
    makeResult(
      {
        name: `${prefix}.rsa2048.sign.${where}`,
        unit: "ops/s",
        value: ratePerSecond(sign, nSign),
        higherIsBetter: true,
        reference: opensslReference(threads, s, "sign"),
        target: TARGET,
        stats: sign,
      },
      quick,
    ),
  ];
  for (const v of verifies) {
    const name = `${prefix}.rsa2048.verify.${where}${v.rsaVerify === "auto" ? "" : ".node-crypto"}`;
    const common = { higherIsBetter: true, target: TARGET, implementation: v.backend };
    out.push(
      makeResult(
        {
          ...common,
          name,
          unit: "ops/s",
          value: ratePerSecond(v.wall, vm.length),
          reference: opensslReference(threads, s, "verify"),
          stats: v.wall,
        },
        quick,
      ),
      makeResult(
        {
          ...common,
          name: `${name}.cpu`,
          unit: "ops/CPU-s",
          value: ratePerSecond(v.cpu, vm.length),
          reference: opensslCpuReference(s, "verify"),
          stats: v.cpu,
        },
        quick,
      ),
    );
  }
  return out;
}

/** Batched RSA-2048 in the main thread and on every core, against openssl speed. */
export const batchMeasurement: Measurement = async (options) => {
  const s = cryptoSizes(options);
  const out: BenchResult[] = [];
  for (const threads of [...new Set([1, ALL_THREADS])])
    out.push(...(await measureThreads(threads, s, options.quick)));
  return out;
};
