/**
 * Test support for the OpenSSL interop tests: PEM wrapping, a temp directory, and a runner for the
 * `openssl` CLI that returns status and output instead of throwing. Not part of the public API.
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM armour (RFC 7468) around DER. */
export function pem(label: "CERTIFICATE" | "X509 CRL", der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

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
