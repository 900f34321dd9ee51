/**
 * Pieces the crypto benchmarks share (bench/crypto-*.ts): workload sizes of full and `--quick` runs,
 * the benchmark RSA key (from the simulation key cache), the challenge message, thread counts and the
 * `openssl speed` reference, measured once per thread count per run and cached.
 * @module
 */
import { availableParallelism } from "node:os";
import { KeyCache } from "../sim/crypto/index.js";
import type { OpensslRsaSpeed } from "./_crypto-openssl.js";
import { opensslRsaSpeed } from "./_crypto-openssl.js";
import type { BenchOptions, BenchReference } from "./_shared.js";
import { log, versions } from "./_shared.js";

export interface CryptoSizes {
  /** tinybench time budget per single-operation task, ms (forge's RSA sign gets twice this). */
  singleMs: number;
  /** tinybench minimum samples. */
  iterations: number;
  /** Approximate seconds of work per batch run, and the tinybench budget for batch tasks, ms. */
  batchSeconds: number;
  batchMs: number;
  /** `openssl speed -seconds`, and how many runs are averaged. */
  opensslSeconds: number;
  opensslRuns: number;
  /** Entries of the CRL the authentication benchmark checks against. */
  crlEntries: number;
}

export const FULL: CryptoSizes = {
  singleMs: 1000,
  iterations: 20,
  batchSeconds: 0.5,
  batchMs: 3000,
  opensslSeconds: 2,
  opensslRuns: 3,
  crlEntries: 100_000,
};
export const QUICK: CryptoSizes = {
  singleMs: 100,
  iterations: 4,
  batchSeconds: 0.1,
  batchMs: 300,
  opensslSeconds: 1,
  opensslRuns: 1,
  crlEntries: 10_000,
};

export const cryptoSizes = (o: BenchOptions): CryptoSizes => (o.quick ? QUICK : FULL);

/** Every core, and 1 when that is more than one (so both a single-thread and a pooled row exist). */
export const ALL_THREADS = Math.max(1, availableParallelism());

/** The challenge every signature covers: 32 bytes. */
export const MESSAGE = new TextEncoder().encode("myna-twin JPKI challenge, 32 b.");

let rsaKey: { pkcs8: Uint8Array; spki: Uint8Array } | undefined;

/** One RSA-2048 key pair from the simulation key cache (.cache/keys). */
export async function benchRsaKey(): Promise<{ pkcs8: Uint8Array; spki: Uint8Array }> {
  rsaKey ??= (await new KeyCache().take("rsa2048", 1)).keys[0]!;
  return rsaKey;
}

/** Installed version of a dependency, for reference names. */
export const pkgVersion = (name: string): string => versions().packages[name] ?? "?";

const opensslRuns = new Map<number, OpensslRsaSpeed[]>();

/**
 * Runs `openssl speed -elapsed -seconds S -multi threads rsa2048` `count` more times (total over the
 * processes, per wall-clock second: `-elapsed`, since by default openssl divides by user CPU time),
 * until `opensslRuns` runs exist for `threads`. Callers run some before and some after their own
 * measurement, so both see the same machine.
 */
export function runOpensslSpeed(threads: number, s: CryptoSizes, count = s.opensslRuns): void {
  const runs = opensslRuns.get(threads) ?? [];
  opensslRuns.set(threads, runs);
  for (let r = 0; r < count && runs.length < s.opensslRuns; r++) {
    log(
      `  openssl speed -elapsed -seconds ${s.opensslSeconds} -multi ${threads} rsa2048 (run ${runs.length + 1})`,
    );
    const x = opensslRsaSpeed(threads, s.opensslSeconds, true);
    if (!x) return;
    log(`    sign ${Math.round(x.signPerSecond)}/s, verify ${Math.round(x.verifyPerSecond)}/s`);
    runs.push(x);
  }
}

/** Mean RSA-2048 rates of the `openssl speed` runs for `threads` (all `opensslRuns` of them), or null. */
export function opensslSpeed(threads: number, s: CryptoSizes): OpensslRsaSpeed | null {
  runOpensslSpeed(threads, s);
  const runs = opensslRuns.get(threads)!;
  if (runs.length === 0) return null;
  const mean = (f: (x: OpensslRsaSpeed) => number): number =>
    runs.reduce((a, x) => a + f(x), 0) / runs.length;
  return {
    signPerSecond: mean((x) => x.signPerSecond),
    verifyPerSecond: mean((x) => x.verifyPerSecond),
    version: runs[0]!.version,
  };
}

/** The `openssl speed` reference for `op` with `threads` processes, or null. */
export function opensslReference(
  threads: number,
  s: CryptoSizes,
  op: "sign" | "verify",
): BenchReference | null {
  const o = opensslSpeed(threads, s);
  if (!o) return null;
  const multi = threads > 1 ? ` -multi ${threads}` : "";
  return {
    name: `openssl speed -elapsed${multi} rsa2048 ${op} (${o.version.split(" ").slice(0, 2).join(" ")}), mean of ${s.opensslRuns}`,
    value: op === "sign" ? o.signPerSecond : o.verifyPerSecond,
  };
}

const opensslCpuRuns: OpensslRsaSpeed[] = [];

/**
 * Runs `openssl speed -seconds S rsa2048` (one process, no `-elapsed`: rates per user-CPU second)
 * `count` more times, until `opensslRuns` runs exist — the reference of the per-CPU-second rows,
 * which the machine's load does not inflate on either side.
 */
export function runOpensslCpu(s: CryptoSizes, count = s.opensslRuns): void {
  for (let r = 0; r < count && opensslCpuRuns.length < s.opensslRuns; r++) {
    log(
      `  openssl speed -seconds ${s.opensslSeconds} rsa2048, per CPU second (run ${opensslCpuRuns.length + 1})`,
    );
    const x = opensslRsaSpeed(1, s.opensslSeconds, false);
    if (!x) return;
    log(`    sign ${Math.round(x.signPerSecond)}/CPU-s, verify ${Math.round(x.verifyPerSecond)}/CPU-s`);
    opensslCpuRuns.push(x);
  }
}

/** The per-CPU-second `openssl speed` reference for `op` (one process, mean of `opensslRuns`), or null. */
export function opensslCpuReference(s: CryptoSizes, op: "sign" | "verify"): BenchReference | null {
  runOpensslCpu(s);
  if (opensslCpuRuns.length === 0) return null;
  const values = opensslCpuRuns.map((x) => (op === "sign" ? x.signPerSecond : x.verifyPerSecond));
  return {
    name: `openssl speed rsa2048 ${op} per user-CPU second, 1 process (${opensslCpuRuns[0]!.version.split(" ").slice(0, 2).join(" ")}), mean of ${values.length}`,
    value: values.reduce((a, b) => a + b, 0) / values.length,
  };
}
