/**
 * CRL benchmark (DESIGN.md §8; ANCHORS.md §2.5 and §5; issue "JPKI in real cryptography", item 8):
 * for CRLs of 10^4 … 10^7 entries — RSA-2048 J-LIS-style issuer (`createJpkiRoot`), 16-byte random
 * serials, a revocationDate within the last five years and a reasonCode (1–6) on every entry, built
 * from typed-array columns as sim/pki builds them — it measures:
 *
 * - `crl.build.<n>`: `buildCrl` (sizing pass, streaming write, RSA-2048 signature), ms. Generating
 *   the random columns is not included. Best of a few runs (one at 10^7).
 * - `crl.bytesPerEntry.<n>`, `crl.derSize.<n>`: DER size per entry and in all.
 * - `crl.parse.<n>`: read the file + `parseCrl` **with** RSA signature verification (strict walk,
 *   hash index), in a fresh child process (bench/_crl-parse-child.ts); best of several runs.
 *   Reference: `openssl crl -inform DER -in f -noout -CAfile issuer.pem` (also verifies), wall time
 *   of the whole process on the same file in the same run.
 * - `crl.parseNoVerify.<n>`: the same without verification, against `openssl crl -inform DER -in f
 *   -noout` (parses only). OpenSSL's wall time includes its process start (a few ms), which matters
 *   only at 10^4.
 * - `crl.parse.vsPeculiar.<n>`: our parse without verification against @peculiar/x509
 *   `new X509Crl(der, { berOptions })` + `.entries` (no verification either), in its own child
 *   process (bench/_crl-peculiar-child.ts); only up to 10^5 entries — beyond that it needs minutes and
 *   gigabytes, so the reference is null.
 * - `crl.peakRss.<n>`: peak RSS (VmHWM) of the parse child after reading the file and the first
 *   parse-and-index, MB, against OpenSSL's max RSS (`/usr/bin/time -v`, when available) for `-noout`;
 *   `crl.peakRss.vsPeculiar.<n>` against the @peculiar/x509 child's peak (up to 10^5).
 * - `crl.peakRssOverDer.<n>`: that peak over the DER size (target < 2×). It includes the Node + tsx
 *   baseline (≈ 50–100 MB), which dominates small CRLs; `crl.rssGrowthOverDer.<n>` is the growth
 *   over that baseline divided by the DER size (the DER buffer itself counts 1×).
 * - `crl.lookup.hit.<n>` / `crl.lookup.miss.<n>`: ns per `CrlIndex.find` over 65,536 random listed
 *   (shuffled) / unlisted serials, ≥ 2^20 lookups per pass, best of 3 passes (target < 200 ns).
 *   Each query is copied into one reusable 16-byte array first (included). Reference up to 10^5:
 *   @peculiar/x509 `findRevoked(serialHex)` (a linear scan), mean per call.
 * - `crl.lookup.randomReadFloor.<n>`: context, not a target — latency of one random read (a
 *   dependent chain) in a table as large as the index's: a miss costs about one, a hit about two.
 * - `crl.buildCpu.<n>`, `crl.parseNoVerifyCpu.<n>` (file read + parse, against OpenSSL's user +
 *   system time from `/usr/bin/time -v`), `crl.lookup.hitCpu.<n>` / `crl.lookup.missCpu.<n>`: the
 *   same from process CPU time instead of wall time — on a crowded machine wall figures include
 *   waiting for a core (memory stalls still count as CPU time).
 *
 * Temporary files go under os.tmpdir() and are deleted. The machine is shared: figures are noisy,
 * ratios hold better than absolute times.
 *
 * Usage: `npx tsx bench/crl.ts [--json] [--quick] [--sizes=10000,1000000]`
 * (`--quick`: 10^4 and 10^5 only).
 * @module
 */

import { spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { RevokedEntries } from "../sim/pki/crl-builder.js";
import { buildCrl } from "../sim/pki/crl-builder.js";
import type { JpkiRoot } from "../sim/pki/jpki-profiles.js";
import { createJpkiRoot } from "../sim/pki/jpki-profiles.js";
import { generateKey } from "../sim/pki/signer.js";
import type { ParseChildReport, PeculiarChildReport } from "./_crl-common.js";
import { pem, randomSerials, SERIAL_BYTES, since } from "./_crl-common.js";
import type { BenchOptions, BenchResult, Measurement } from "./_shared.js";
import { emit, isMain, log, makeResult, parseBenchArgs, ROOT, runMeasurements } from "./_shared.js";

/** Entry counts of the full run. */
export const CRL_SIZES: readonly number[] = [10_000, 100_000, 1_000_000, 10_000_000];
/** Entry counts of `--quick`. */
export const CRL_QUICK_SIZES: readonly number[] = [10_000, 100_000];
/** Largest CRL the @peculiar/x509 reference is run on. */
export const PECULIAR_MAX_ENTRIES = 100_000;

const PARSE_CHILD = join(ROOT, "bench", "_crl-parse-child.ts");
const PECULIAR_CHILD = join(ROOT, "bench", "_crl-peculiar-child.ts");
const TIME = "/usr/bin/time";
const MB = 1e6;
const DAY_S = 86_400;
/** OpenSSL holds one X509_REVOKED (+ extensions) per entry: budget this much RAM per entry. */
const OPENSSL_BYTES_PER_ENTRY = 800;
/** @peculiar/x509 needs ≈ 10 KB per entry (ANCHORS.md §5: ~1 GB at 10^5). */
const PECULIAR_BYTES_PER_ENTRY = 15_000;
const CHILD_TIMEOUT_MS = 900_000;
const PECULIAR_TIMEOUT_MS = 300_000;

/** Runs per size: builds, parses (per variant), openssl invocations. */
function runsFor(n: number): { build: number; parse: number; openssl: number } {
  if (n <= 100_000) return { build: 3, parse: 5, openssl: 5 };
  if (n <= 1_000_000) return { build: 2, parse: 3, openssl: 3 };
  return { build: 1, parse: 2, openssl: 1 };
}

/** Short label of an entry count: `1e4`, `1e5`, … or the plain number. */
export function sizeLabel(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : String(n);
}

/** Sizes to run: `--sizes=a,b` in `rest`, else the quick or full list. */
export function crlSizes(options: BenchOptions): readonly number[] {
  const flag = options.rest.find((a) => a.startsWith("--sizes="));
  if (flag) {
    const sizes = flag
      .slice("--sizes=".length)
      .split(",")
      .map((s) => Math.round(Number(s)));
    if (sizes.some((s) => !Number.isFinite(s) || s < 1)) throw new Error(`bad ${flag}`);
    return sizes;
  }
  return options.quick ? CRL_QUICK_SIZES : CRL_SIZES;
}

let issuerCache: JpkiRoot | undefined;

/** The RSA-2048 J-LIS-style issuing root (generated once per process). */
function issuer(): JpkiRoot {
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

/** Build (timed) and write the CRL; only sizes and times come back, so the DER can be collected. */
function buildAndWrite(
  n: number,
  root: JpkiRoot,
  file: string,
): { buildMs: number; buildCpuMs: number; firstBuildMs: number; derBytes: number } {
  const t0 = performance.now();
  const entries = randomEntries(n);
  log(`  entries generated in ${since(t0).toFixed(0)} ms`);
  const now = Date.now();
  const spec = {
    issuer: root.name,
    authorityKeyId: root.keyId,
    thisUpdate: now,
    nextUpdate: now + DAY_S * 1000,
    crlNumber: 1,
    entries,
  };
  let best = Infinity;
  let bestCpu = Infinity;
  let first = 0;
  let der: Uint8Array | undefined;
  for (let r = 0; r < runsFor(n).build; r++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    der = buildCrl(spec, root.signer);
    const ms = since(t);
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1e3;
    if (r === 0) first = ms;
    best = Math.min(best, ms);
    bestCpu = Math.min(bestCpu, cpuMs);
    log(
      `  build+sign run ${r + 1}: ${ms.toFixed(1)} ms (CPU ${cpuMs.toFixed(1)} ms), ` +
        `${der.length.toLocaleString("en-US")} bytes`,
    );
  }
  writeFileSync(file, der!);
  return { buildMs: best, buildCpuMs: bestCpu, firstBuildMs: first, derBytes: der!.length };
}

/** Runs a child script under `node --import tsx` and parses the JSON line it prints; null on failure. */
function runChild<T>(script: string, args: readonly string[], timeoutMs: number): T | null {
  const child = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", 2],
    timeout: timeoutMs,
    maxBuffer: 1 << 20,
  });
  if (child.error || child.status !== 0) {
    const why = child.error ? child.error.message : `status ${child.status} signal ${child.signal}`;
    log(`note: ${script.slice(ROOT.length + 1)} failed (${why})`);
    return null;
  }
  try {
    return JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as T;
  } catch {
    log(`note: could not read the report of ${script.slice(ROOT.length + 1)}`);
    return null;
  }
}

/** One OpenSSL measurement: best wall time and the max RSS of that process (null if unknown). */
interface OpensslRun {
  wallMs: number;
  maxRssBytes: number | null;
  /** Least user + system CPU time over the runs (`/usr/bin/time -v`, 10 ms resolution), or null. */
  cpuMs: number | null;
}

/** Best of `runs` runs of `openssl …args` (under `/usr/bin/time -v` when present); null on failure. */
function timeOpenssl(args: readonly string[], runs: number, expectStderr?: string): OpensslRun | null {
  const useTime = existsSync(TIME);
  let best: OpensslRun | null = null;
  let bestCpu: number | null = null;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const p = useTime
      ? spawnSync(TIME, ["-v", "openssl", ...args], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS })
      : spawnSync("openssl", args, { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
    const wallMs = since(t0);
    if (p.error || p.status !== 0 || (expectStderr && !p.stderr.includes(expectStderr))) {
      log(`note: openssl ${args.join(" ")} failed: ${p.error?.message ?? p.stderr.trim().slice(0, 300)}`);
      return null;
    }
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
    const maxRssBytes = m ? Number(m[1]) * 1024 : null;
    const user = /User time \(seconds\): ([\d.]+)/.exec(p.stderr);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(p.stderr);
    const cpu = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : null;
    if (cpu !== null) bestCpu = Math.min(bestCpu ?? Infinity, cpu);
    if (!best || wallMs < best.wallMs) best = { wallMs, maxRssBytes, cpuMs: null };
  }
  return best && { ...best, cpuMs: bestCpu };
}

/** Peak RSS of a bare `node` process that only reads its own VmHWM (the floor under the tsx child). */
let bareNodeRss: number | null | undefined;

function bareNodeBaseline(): number | null {
  const p = spawnSync(
    process.execPath,
    [
      "-e",
      'process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status","utf8"))?.[1] ?? "")',
    ],
    { encoding: "utf8" },
  );
  const kb = Number(p.stdout.trim());
  return p.status === 0 && kb > 0 ? kb * 1024 : null;
}

/** Wall time of `openssl version`: the process-start share of OpenSSL's figures (measured once). */
let opensslStartup: OpensslRun | null | undefined;

/** True when MemAvailable covers `bytes` with a 2× margin; otherwise logs why a reference is skipped. */
function memoryFor(bytes: number, what: string): boolean {
  const free = os.freemem();
  if (free >= 2 * bytes) return true;
  log(
    `note: skipping ${what}: needs ≈ ${(bytes / 1e9).toFixed(1)} GB, ${(free / 1e9).toFixed(1)} GB available`,
  );
  return false;
}

/** All figures for one CRL size. */
export function crlMeasurement(n: number): Measurement {
  return (options) => {
    if (!crlSizes(options).includes(n)) return Promise.resolve([]);
    const l = sizeLabel(n);
    log(`crl ${l}: ${n.toLocaleString("en-US")} entries`);
    const root = issuer();
    const dir = mkdtempSync(join(os.tmpdir(), "myna-bench-crl-"));
    try {
      const crlFile = join(dir, `crl-${l}.der`);
      const spkiFile = join(dir, "issuer-spki.der");
      const caFile = join(dir, "issuer.pem");
      writeFileSync(spkiFile, root.certificate.spki);
      writeFileSync(caFile, pem("CERTIFICATE", root.der));
      const runs = runsFor(n);

      const built = buildAndWrite(n, root, crlFile);
      const der = built.derBytes;
      log(`  build+sign best ${built.buildMs.toFixed(1)} ms (first ${built.firstBuildMs.toFixed(1)} ms)`);

      bareNodeRss ??= bareNodeBaseline();
      log(
        `  parse child (fresh process; node + tsx; a bare node process peaks at ` +
          `${bareNodeRss === null ? "?" : (bareNodeRss / MB).toFixed(0)} MB)…`,
      );
      const ours = runChild<ParseChildReport>(
        PARSE_CHILD,
        [crlFile, spkiFile, String(runs.parse)],
        CHILD_TIMEOUT_MS,
      );
      if (ours) {
        if (ours.entries !== n || ours.derBytes !== der)
          throw new Error(`parse child saw ${ours.entries} entries / ${ours.derBytes} bytes`);
        log(
          `  ours: read ${ours.readMs.toFixed(1)} ms, parse+verify first ${ours.firstParseMs.toFixed(1)} ms, ` +
            `best ${ours.parseVerifyMs.toFixed(1)} ms, no verify ${ours.parseNoVerifyMs.toFixed(1)} ms; ` +
            `RSS baseline ${(ours.baselineRssBytes / MB).toFixed(0)} MB, peak ${(ours.peakRssBytes / MB).toFixed(0)} MB; ` +
            `find hit ${ours.lookupHitNs.toFixed(0)} ns, miss ${ours.lookupMissNs.toFixed(0)} ns ` +
            `(CPU time: ${ours.lookupHitCpuNs.toFixed(0)} / ${ours.lookupMissCpuNs.toFixed(0)} ns); ` +
            `read + parse CPU ${(ours.readCpuMs + ours.parseNoVerifyCpuMs).toFixed(1)} ms; random-read latency ` +
            `${ours.randomReadFloorNs.toFixed(0)} ns (CPU ${ours.randomReadFloorCpuNs.toFixed(0)} ns)`,
        );
      }

      let sslParse: OpensslRun | null = null;
      let sslVerify: OpensslRun | null = null;
      if (memoryFor(n * OPENSSL_BYTES_PER_ENTRY, `openssl crl at ${l}`)) {
        opensslStartup ??= timeOpenssl(["version"], 5);
        if (opensslStartup)
          log(`  openssl process start (openssl version, best of 5): ${opensslStartup.wallMs.toFixed(1)} ms`);
        log(`  openssl crl -noout ×${runs.openssl}…`);
        sslParse = timeOpenssl(["crl", "-inform", "DER", "-in", crlFile, "-noout"], runs.openssl);
        log(`  openssl crl -noout -CAfile ×${runs.openssl}…`);
        sslVerify = timeOpenssl(
          ["crl", "-inform", "DER", "-in", crlFile, "-noout", "-CAfile", caFile],
          runs.openssl,
          "verify OK",
        );
        if (sslParse)
          log(
            `  openssl: -noout ${sslParse.wallMs.toFixed(1)} ms` +
              `${sslParse.maxRssBytes !== null ? `, max RSS ${(sslParse.maxRssBytes / MB).toFixed(0)} MB` : ""}` +
              `${sslParse.cpuMs !== null ? `, CPU ${sslParse.cpuMs.toFixed(0)} ms` : ""}` +
              `${sslVerify ? `; with -CAfile ${sslVerify.wallMs.toFixed(1)} ms` : ""}`,
          );
      }

      let pec: PeculiarChildReport | null = null;
      if (n > PECULIAR_MAX_ENTRIES)
        log(`  note: @peculiar/x509 skipped above ${PECULIAR_MAX_ENTRIES.toLocaleString("en-US")} entries`);
      else if (memoryFor(n * PECULIAR_BYTES_PER_ENTRY, `@peculiar/x509 at ${l}`)) {
        log(`  @peculiar/x509 child…`);
        pec = runChild<PeculiarChildReport>(PECULIAR_CHILD, [crlFile], PECULIAR_TIMEOUT_MS);
        if (pec)
          log(
            `  @peculiar/x509: construct ${pec.constructMs.toFixed(0)} ms + entries ${pec.entriesMs.toFixed(0)} ms, ` +
              `peak RSS ${(pec.peakRssBytes / MB).toFixed(0)} MB; findRevoked hit ${pec.findHitMs.toFixed(2)} ms, ` +
              `miss ${pec.findMissMs.toFixed(2)} ms (${pec.lookups} each)`,
          );
      }

      const results: BenchResult[] = [
        makeResult(`crl.build.${l}`, "ms", built.buildMs, false),
        makeResult(`crl.buildCpu.${l}`, "ms", built.buildCpuMs, false),
        makeResult(`crl.bytesPerEntry.${l}`, "B/entry", der / n, false),
        makeResult(`crl.derSize.${l}`, "MB", der / MB, false),
      ];
      if (ours) {
        const parseVerify = ours.readMs + ours.parseVerifyMs;
        const parseOnly = ours.readMs + ours.parseNoVerifyMs;
        results.push(
          makeResult(
            `crl.parse.${l}`,
            "ms",
            parseVerify,
            false,
            sslVerify
              ? {
                  name: "openssl crl -inform DER -noout -CAfile (verifies; process wall time)",
                  value: sslVerify.wallMs,
                }
              : null,
          ),
          makeResult(
            `crl.parseNoVerify.${l}`,
            "ms",
            parseOnly,
            false,
            sslParse
              ? { name: "openssl crl -inform DER -noout (process wall time)", value: sslParse.wallMs }
              : null,
          ),
          makeResult(
            `crl.parse.vsPeculiar.${l}`,
            "ms",
            parseOnly,
            false,
            pec
              ? {
                  name: "@peculiar/x509 new X509Crl(der, {berOptions}) + .entries",
                  value: pec.constructMs + pec.entriesMs,
                }
              : null,
          ),
          makeResult(
            `crl.parseNoVerifyCpu.${l}`,
            "ms",
            ours.readCpuMs + ours.parseNoVerifyCpuMs,
            false,
            sslParse?.cpuMs != null
              ? { name: "openssl crl -inform DER -noout (user + system CPU)", value: sslParse.cpuMs }
              : null,
          ),
          makeResult(
            `crl.peakRss.${l}`,
            "MB",
            ours.peakRssBytes / MB,
            false,
            sslParse?.maxRssBytes != null
              ? { name: "openssl crl -noout max RSS (/usr/bin/time -v)", value: sslParse.maxRssBytes / MB }
              : null,
          ),
          makeResult(
            `crl.peakRss.vsPeculiar.${l}`,
            "MB",
            ours.peakRssBytes / MB,
            false,
            pec
              ? { name: "@peculiar/x509 peak RSS (construct + .entries)", value: pec.peakRssBytes / MB }
              : null,
          ),
          makeResult(`crl.peakRssOverDer.${l}`, "×DER", ours.peakRssBytes / der, false),
          makeResult(
            `crl.rssGrowthOverDer.${l}`,
            "×DER",
            (ours.peakRssBytes - ours.baselineRssBytes) / der,
            false,
          ),
          makeResult(
            `crl.lookup.hit.${l}`,
            "ns/lookup",
            ours.lookupHitNs,
            false,
            pec ? { name: "@peculiar/x509 findRevoked (hit)", value: pec.findHitMs * 1e6 } : null,
          ),
          makeResult(
            `crl.lookup.miss.${l}`,
            "ns/lookup",
            ours.lookupMissNs,
            false,
            pec ? { name: "@peculiar/x509 findRevoked (miss)", value: pec.findMissMs * 1e6 } : null,
          ),
          makeResult(`crl.lookup.hitCpu.${l}`, "ns/lookup", ours.lookupHitCpuNs, false),
          makeResult(`crl.lookup.missCpu.${l}`, "ns/lookup", ours.lookupMissCpuNs, false),
          makeResult(`crl.lookup.randomReadFloor.${l}`, "ns/read", ours.randomReadFloorNs, false),
        );
      }
      return Promise.resolve(results);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** One measurement per size of {@link CRL_SIZES}; each skips itself when `--quick`/`--sizes` leaves it out. */
export const crlMeasurements: readonly Measurement[] = CRL_SIZES.map(crlMeasurement);

/** Runs the CRL benchmark with `options` (sizes from `--sizes=`, `--quick` or the full list). */
export function runCrl(options: BenchOptions): Promise<BenchResult[]> {
  return runMeasurements(crlSizes(options).map(crlMeasurement), options);
}

if (isMain(import.meta.url)) {
  const options = parseBenchArgs();
  emit(await runCrl(options), options);
}
