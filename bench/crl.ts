/**
 * Entry point of the CRL benchmark (DESIGN.md §8; ANCHORS.md §2.5 and §5): for CRLs of 10^4 … 10^7
 * entries from an RSA-2048 J-LIS-style issuer, per size —
 *
 * - building and signing it (bench/crl-build.ts),
 * - loading it cold in a fresh process against `openssl crl` in a fresh process (bench/crl-cold.ts),
 * - first and warm in-process parses, peak RSS and lookups, against @peculiar/x509 up to 10^5
 *   (bench/crl-warm.ts).
 *
 * Temporary files go under os.tmpdir() and are deleted. Usage:
 * `npm run -s bench:crl -- [--json] [--quick] [--sizes=10000,1000000]` (`--quick`: 10^4 and 10^5).
 * @module
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { pem } from "./_crl-common.js";
import type { BenchOptions, Measurement } from "./_shared.js";
import { isMain, log, runBenchmark } from "./_shared.js";
import { buildAndWrite, crlIssuer, sizeLabel } from "./crl-build.js";
import { coldResults } from "./crl-cold.js";
import { warmResults } from "./crl-warm.js";

/** Entry counts of the full run. */
export const CRL_SIZES: readonly number[] = [10_000, 100_000, 1_000_000, 10_000_000];
/** Entry counts of `--quick`. */
export const CRL_QUICK_SIZES: readonly number[] = [10_000, 100_000];
/** Largest size `--sizes=` accepts. */
export const CRL_MAX_SIZE = 10_000_000;

/**
 * Sizes to run: `--sizes=a,b` in `rest`, else the quick or full list.
 * @throws {InputError} `E_BENCH_ARGS` when `--sizes=` is not a list of whole numbers in 1…10^7.
 */
export function crlSizes(options: BenchOptions): readonly number[] {
  const flag = options.rest.find((a) => a.startsWith("--sizes="));
  if (!flag) return options.quick ? CRL_QUICK_SIZES : CRL_SIZES;
  const parts = flag.slice("--sizes=".length).split(",");
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p.trim())) || sizes.some((s) => s < 1 || s > CRL_MAX_SIZE))
    throw new InputError(
      `${flag}: expected a comma-separated list of entry counts from 1 to ${CRL_MAX_SIZE}, e.g. --sizes=10000,1000000`,
      "E_BENCH_ARGS",
    );
  return sizes;
}

/** Build runs per size. */
function buildRuns(n: number, quick: boolean): number {
  if (quick || n >= 10_000_000) return 2;
  return n <= 100_000 ? 5 : 3;
}

/** Every figure for one CRL size. */
export function crlMeasurement(n: number): Measurement {
  return async (options) => {
    const l = sizeLabel(n);
    log(`crl ${l}: ${n.toLocaleString("en-US")} entries`);
    const root = crlIssuer();
    const dir = mkdtempSync(join(os.tmpdir(), "myna-bench-crl-"));
    try {
      const files = {
        crl: join(dir, `crl-${l}.der`),
        spki: join(dir, "issuer-spki.der"),
        caPem: join(dir, "issuer.pem"),
      };
      writeFileSync(files.spki, root.certificate.spki);
      writeFileSync(files.caPem, pem("CERTIFICATE", root.der));
      const built = await buildAndWrite(n, root, files.crl, buildRuns(n, options.quick), options.quick);
      return [
        ...built.results,
        ...coldResults(n, built.derBytes, files, options.quick),
        ...warmResults(n, files, options.quick),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The measurements for the sizes `options` asks for (checked before anything runs). */
export const crlMeasurements: Measurement = async (options) => {
  const results = [];
  for (const n of crlSizes(options)) results.push(...(await crlMeasurement(n)(options)));
  return results;
};

if (isMain(import.meta.url)) await runBenchmark([crlMeasurements], ["--sizes="]);
