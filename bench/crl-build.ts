/**
 * CRL building for the CRL benchmark: random revoked entries as sim/pki builds them (typed-array
 * columns: 16-byte random serials, a revocationDate within the last five years, a reasonCode 1–6 on
 * every entry) and the timed `buildCrl` (sizing pass, streaming write, RSA-2048 signature) of a
 * J-LIS-style issuer. Results `crl.build.<n>` (wall ms, tinybench mean ± RME; target < 5 s at 10^7),
 * `crl.buildCpu.<n>` (this process's CPU ms per build over the same calls, warm-up included: on a
 * shared machine the wall time also counts waiting for a core), `crl.bytesPerEntry.<n>` and
 * `crl.derSize.<n>` — plain figures: no other builder in this run writes the same CRL.
 * @module
 */
import { randomFillSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { RevokedEntries } from "../sim/pki/crl-builder.js";
import { buildCrl } from "../sim/pki/crl-builder.js";
import type { JpkiRoot } from "../sim/pki/jpki-profiles.js";
import { createJpkiRoot } from "../sim/pki/jpki-profiles.js";
import { generateKey } from "../sim/pki/signer.js";
import { randomSerials, SERIAL_BYTES } from "./_crl-common.js";
import { cpuClockMs } from "./_cpu-clock.js";
import type { BenchResult } from "./_shared.js";
import { log, makeResult, micro } from "./_shared.js";

const DAY_S = 86_400;
const MB = 1e6;

/** Short label of an entry count: `1e4`, `1e5`, … or the plain number. */
export function sizeLabel(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : String(n);
}

let issuerCache: JpkiRoot | undefined;

/** The RSA-2048 J-LIS-style issuing root (generated once per process). */
export function crlIssuer(): JpkiRoot {
  issuerCache ??= createJpkiRoot({
    kind: "auth",
    signer: generateKey("rsa2048").signer,
    notBefore: Date.now() - 365 * DAY_S * 1000,
  });
  return issuerCache;
}

/** `n` revoked entries: random 16-byte serials, revoked within the last 5 years, reason 1–6. */
export function randomEntries(n: number, now = Date.now()): RevokedEntries {
  const serials = randomSerials(n);
  const draws = randomFillSync(new Uint32Array(n));
  const revocationTimes = new Float64Array(n);
  const reasons = new Uint8Array(n);
  const nowS = Math.floor(now / 1000);
  const span = 5 * 365 * DAY_S;
  for (let i = 0; i < n; i++) {
    const d = draws[i]!;
    revocationTimes[i] = (nowS - (d % span)) * 1000;
    reasons[i] = 1 + ((d >>> 24) % 6);
  }
  return { count: n, serialWidth: SERIAL_BYTES, serials, revocationTimes, reasons };
}

/**
 * Builds the CRL of `n` random entries `runs` times (tinybench, no warm-up run at 10^7), writes the
 * last one to `file` and returns the results and the DER size. Generating the entries is not timed.
 */
export async function buildAndWrite(
  n: number,
  root: JpkiRoot,
  file: string,
  runs: number,
  quick: boolean,
): Promise<{ results: BenchResult[]; derBytes: number }> {
  const entries = randomEntries(n);
  const now = Date.now();
  const spec = {
    issuer: root.name,
    authorityKeyId: root.keyId,
    thisUpdate: now,
    nextUpdate: now + DAY_S * 1000,
    crlNumber: 1,
    entries,
  };
  let der: Uint8Array | undefined;
  let cpuMs = 0;
  let calls = 0;
  const stats = await micro(
    `build + sign ${n.toLocaleString("en-US")} entries`,
    () => {
      const c0 = cpuClockMs();
      der = buildCrl(spec, root.signer);
      cpuMs += cpuClockMs() - c0;
      calls++;
    },
    { timeMs: 0, iterations: runs, warmup: n < 10_000_000 },
  );
  writeFileSync(file, der!);
  const bytes = der!.length;
  log(
    `  ${bytes.toLocaleString("en-US")} bytes; ${(cpuMs / calls).toFixed(0)} CPU ms per build (${calls} builds)`,
  );
  const l = sizeLabel(n);
  return {
    derBytes: bytes,
    results: [
      makeResult(
        {
          name: `crl.build.${l}`,
          unit: "ms",
          value: stats.meanMs,
          higherIsBetter: false,
          target: n === 10_000_000 ? 5000 : null,
          stats,
        },
        quick,
      ),
      makeResult(
        {
          name: `crl.buildCpu.${l}`,
          unit: "CPU ms",
          value: cpuMs / calls,
          higherIsBetter: false,
          target: n === 10_000_000 ? 5000 : null,
        },
        quick,
      ),
      makeResult(
        { name: `crl.bytesPerEntry.${l}`, unit: "B/entry", value: bytes / n, higherIsBetter: false },
        quick,
      ),
      makeResult({ name: `crl.derSize.${l}`, unit: "MB", value: bytes / MB, higherIsBetter: false }, quick),
    ],
  };
}
