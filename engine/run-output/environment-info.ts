/**
 * What a run or benchmark records about where it ran: machine, Node/V8/OpenSSL versions, the
 * project's package versions and git commit. Read once per run; never used by a model.
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { arch, cpus, platform, release, totalmem } from "node:os";
import { dirname, join } from "node:path";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  arch: string;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? "unknown",
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    arch: arch(),
  };
}

/** The nearest directory at or above `from` holding a package.json. */
export function findPackageRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

/** node, v8, openssl and every direct dependency's installed version. */
export function versions(root: string): Record<string, string> {
  const out: Record<string, string> = {
    node: process.versions.node,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
  };
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      version?: string;
      dependencies?: Record<string, string>;
    };
    out["myna-twin"] = pkg.version ?? "unknown";
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      try {
        const dep = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as {
          version?: string;
        };
        out[name] = dep.version ?? "unknown";
      } catch {
        out[name] = "not installed";
      }
    }
  } catch {
    // No package.json beside the code: report the runtime versions only.
  }
  return out;
}

/** The checked-out commit (with `-dirty` when the tree has changes), or null outside git. */
export function gitCommit(root: string): string | null {
  try {
    const opts = { cwd: root, stdio: ["ignore", "pipe", "ignore"] as ["ignore", "pipe", "ignore"] };
    const head = execFileSync("git", ["rev-parse", "HEAD"], opts).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], opts)
      .toString()
      .trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}
