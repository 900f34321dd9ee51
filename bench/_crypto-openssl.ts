/**
 * The `openssl speed` reference of bench/crypto.ts: runs `openssl speed -seconds S -multi N rsa2048`
 * and parses its summary line (`rsa 2048 bits <s/sign> <s/verify> <sign/s> <verify/s>`), which with
 * `-multi N` is the total over the N forked processes.
 *
 * Pitfall: by default `openssl speed` divides by the **user CPU time** of each process, not by
 * wall-clock time, so on a busy machine it reports what an idle core would do. `-elapsed` makes it
 * divide by wall-clock time. Compare wall-clock figures with `elapsed: true` and CPU-time figures
 * with the default.
 * @module
 */
import { spawnSync } from "node:child_process";
import { log } from "./_shared.js";

/** Aggregate RSA-2048 rates of one `openssl speed` run. */
export interface OpensslRsaSpeed {
  signPerSecond: number;
  verifyPerSecond: number;
  /** `openssl version` of the CLI. */
  version: string;
}

/** Parses the `rsa 2048 bits …` summary line of `openssl speed` output; null when absent. */
export function parseOpensslRsaSpeed(
  output: string,
): { signPerSecond: number; verifyPerSecond: number } | null {
  const m = /^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)\s*$/m.exec(output);
  if (!m) return null;
  return { signPerSecond: Number(m[1]), verifyPerSecond: Number(m[2]) };
}

/** Version string of the openssl CLI, or null when it is not installed. */
export function opensslVersion(): string | null {
  const r = spawnSync("openssl", ["version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Runs `openssl speed [-elapsed] -seconds <seconds> -multi <threads> rsa2048`; null (with a note) on
 * failure. `elapsed`: rates per wall-clock second instead of per user-CPU second.
 */
export function opensslRsaSpeed(threads: number, seconds: number, elapsed = false): OpensslRsaSpeed | null {
  const version = opensslVersion();
  if (!version) {
    log("note: the openssl CLI is missing; openssl references are null");
    return null;
  }
  const args = [
    "speed",
    ...(elapsed ? ["-elapsed"] : []),
    "-seconds",
    String(seconds),
    "-multi",
    String(threads),
    "rsa2048",
  ];
  const r = spawnSync("openssl", args, { encoding: "utf8", maxBuffer: 1 << 24 });
  const parsed = r.status === 0 ? parseOpensslRsaSpeed(r.stdout) : null;
  if (!parsed) {
    log(`note: openssl ${args.join(" ")} failed (status ${r.status}); reference is null`);
    return null;
  }
  return { ...parsed, version };
}
