/**
 * Test support for the OpenSSL interop tests: PEM wrapping (re-exported), a temp directory, and a runner for the
 * `openssl` CLI that returns status and output instead of throwing. Not part of the public API.
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM armour (RFC 7468) around DER: the project's one writer, sim/pki/pem.ts. */
export { pemOf as pem } from "./pem.js";

/** A scratch directory with helpers to write files into it. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), "myna-pki-"));
  /** Write `content` to `name` in the directory and return the full path. */
  file(name: string, content: string | Uint8Array): string {
    const p = join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }
  /** Remove the directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Result of one `openssl` run. */
export interface OpensslRun {
  readonly status: number;
  readonly out: string;
}

/** Run `openssl …args`; stdout and stderr are merged into `out`. */
export function openssl(...args: string[]): OpensslRun {
  const r = spawnSync("openssl", args, { encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
