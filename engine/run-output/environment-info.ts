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

/** The version of package `name` installed under `root`'s node_modules, or "not installed". */
export function installedVersion(root: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "not installed";
  }
}

/** The project's package.json (null when there is none beside the code). */
export function projectPackage(root: string): {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
} | null {
  try {
    return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as ReturnType<typeof projectPackage>;
  } catch {
    return null;
  }
}

/** node, v8, openssl and every direct runtime dependency's installed version. */
export function versions(root: string): Record<string, string> {
  const pkg = projectPackage(root);
  const out: Record<string, string> = {
    node: process.versions.node,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
  };
  if (!pkg) return out;
  out["myna-twin"] = pkg.version ?? "unknown";
  for (const name of Object.keys(pkg.dependencies ?? {})) out[name] = installedVersion(root, name);
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
