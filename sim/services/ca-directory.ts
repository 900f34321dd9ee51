/**
 * The J-LIS-style CA directory the live service trusts (`--pki DIR`; DESIGN.md §5 contract). Files,
 * named as `myna-twin pki export` writes them (sim/jpki/pki-export.ts), DER or PEM:
 *
 * - `auth-root.der|pem` (required) — the J-LIS user-authentication root: the only issuer accepted;
 * - `auth-crl-full.der|pem` (required) — its current full CRL, signature checked against the root;
 * - `auth-crl-delta.der|pem`, `sign-root.*`, `sign-crl-full.*`, `sign-crl-delta.*` (optional);
 * - `{auth,sign}-crl-P0000.der|pem` … partitioned CRLs (optional, read on demand: {@link CaDirectory.partition});
 * - `{auth,sign}-filter.bin` — the revocation filter `pki init`'s CA writes (optional, read on demand
 *   and again when the file changes: {@link CaDirectory.filter}).
 *
 * Revocation is looked up in the parsed CRLs' hash index (sim/pki `parseCrl` → `CrlIndex`, O(1)).
 * **Reload:** every `reloadMs` (default 1 s) the CRL files are stat'ed; when a file's size or mtime
 * changed (e.g. after `pki revoke` or a new export written over it) it is read, parsed and its
 * signature checked, then swapped in at once. A file that fails to parse is logged and the last good
 * CRL stays in force, so a half-written file never opens a gap. The same parsed bytes are what
 * `GET /v1/crl/{kind}/{full|delta}` serves (crl-artefacts.ts).
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../engine/errors.js";
import type { CertificateView, ParsedCrl } from "../pki/index.js";
import { parseCertificate, parseCrl } from "../pki/index.js";
import { RevocationFilter } from "../revocation/filter/index.js";

/** The two J-LIS roots (FACTS.md §1.2). */
export type CaKind = "auth" | "sign";
/** CRLs the directory may hold per root. */
export type CrlName = "full" | "delta";

/** A CRL as loaded: its bytes, parse and HTTP validators. */
export interface LoadedCrl {
  readonly file: string;
  readonly der: Uint8Array;
  readonly parsed: ParsedCrl;
  /** Strong ETag: quoted base64url SHA-256 of the DER. */
  readonly etag: string;
  readonly stamp: string;
}

/** DER from `path`: PEM armour (any label) is removed when present. */
export function readDerOrPem(path: string): Uint8Array {
  const raw = readFileSync(path);
  if (raw.length > 0 && raw[0] === 0x30) return new Uint8Array(raw);
  const text = raw.toString("latin1");
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(text);
  if (!m) throw new InputError(`${path}: neither DER (a SEQUENCE) nor PEM`, "E_SERVE_PKI");
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
}

function findFile(dir: string, stem: string): string | undefined {
  for (const ext of [".der", ".pem"]) {
    const p = join(dir, stem + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}

/** Something to tell about reloads (the service logger). */
export interface ReloadListener {
  reloaded(kind: CaKind, name: CrlName, crl: LoadedCrl): void;
  failed(kind: CaKind, name: CrlName, file: string, message: string): void;
}

/** The trusted roots and current CRLs of one directory. */
export class CaDirectory {
  readonly dir: string;
  readonly roots: Readonly<Partial<Record<CaKind, CertificateView>>>;
  readonly #crls = new Map<string, LoadedCrl>();
  readonly #failed = new Map<string, string>();
  readonly #partitions = new Map<string, LoadedCrl>();
  readonly #filters = new Map<string, { readonly filter: RevocationFilter; readonly stamp: string }>();
  #timer: NodeJS.Timeout | undefined;
  #reloads = 0;

  /**
   * Loads the directory.
   * @throws InputError naming the file that is missing or unreadable
   */
  constructor(dir: string) {
    this.dir = dir;
    if (!existsSync(dir)) throw new InputError(`--pki ${dir}: no such directory`, "E_SERVE_PKI");
    const roots: Partial<Record<CaKind, CertificateView>> = {};
    for (const kind of ["auth", "sign"] as const) {
      const f = findFile(dir, `${kind}-root`);
      if (f === undefined) {
        if (kind === "auth")
          throw new InputError(
            `--pki ${dir}: no auth-root.der or auth-root.pem (the J-LIS user-authentication root); make the directory with myna-twin pki export --out DIR`,
            "E_SERVE_PKI",
          );
        continue;
      }
      try {
        roots[kind] = parseCertificate(readDerOrPem(f));
      } catch (e) {
        throw new InputError(`--pki: ${f}: not a certificate (${(e as Error).message})`, "E_SERVE_PKI");
      }
    }
    this.roots = roots;
    for (const kind of ["auth", "sign"] as const)
      for (const name of ["full", "delta"] as const) {
        if (!roots[kind]) continue;
        const f = findFile(dir, `${kind}-crl-${name}`);
        if (f === undefined) {
          if (kind === "auth" && name === "full")
            throw new InputError(
              `--pki ${dir}: no auth-crl-full.der or .pem (the authentication root's CRL)`,
              "E_SERVE_PKI",
            );
          continue;
        }
        try {
          this.#crls.set(`${kind}/${name}`, this.#load(kind, f));
        } catch (e) {
          throw new InputError(`--pki: ${f}: ${(e as Error).message}`, "E_SERVE_PKI");
        }
      }
  }

  #load(kind: CaKind, file: string): LoadedCrl {
    const stamp = stampOf(file);
    const der = readDerOrPem(file);
    const parsed = parseCrl(der, { issuerSpki: this.roots[kind]!.spki });
    const etag = `"${createHash("sha256").update(der).digest("base64url")}"`;
    return { file, der, parsed, etag, stamp };
  }

  /** The current CRL `name` of root `kind`, if the directory has one. */
  crl(kind: CaKind, name: CrlName): LoadedCrl | undefined {
    return this.#crls.get(`${kind}/${name}`);
  }

  /**
   * Partition CRL `n` of root `kind` (`<kind>-crl-P<nnnn>.der|pem`, as `pki export` names them),
   * read when first asked for and again when the file changes; undefined when absent or invalid
   * (not parsing, or not signed by the root).
   */
  partition(kind: CaKind, n: number): LoadedCrl | undefined {
    if (!this.roots[kind] || !Number.isInteger(n) || n < 0 || n > 9999) return undefined;
    const f = findFile(this.dir, `${kind}-crl-P${String(n).padStart(4, "0")}`);
    if (f === undefined) return undefined;
    let stamp: string;
    try {
      stamp = stampOf(f);
    } catch {
      return undefined;
    }
    const hit = this.#partitions.get(f);
    if (hit && hit.stamp === stamp) return hit;
    try {
      const crl = this.#load(kind, f);
      this.#partitions.set(f, crl);
      return crl;
    } catch {
      this.#partitions.delete(f);
      return undefined;
    }
  }

  /**
   * The revocation filter of root `kind` (`<kind>-filter.bin`), read when first asked for and again
   * when the file changes; undefined when absent or not a valid filter.
   */
  filter(kind: CaKind): RevocationFilter | undefined {
    if (!this.roots[kind]) return undefined;
    const f = join(this.dir, `${kind}-filter.bin`);
    let stamp: string;
    try {
      stamp = stampOf(f);
    } catch {
      return undefined;
    }
    const hit = this.#filters.get(f);
    if (hit && hit.stamp === stamp) return hit.filter;
    try {
      const filter = RevocationFilter.parse(new Uint8Array(readFileSync(f)));
      this.#filters.set(f, { filter, stamp });
      return filter;
    } catch {
      this.#filters.delete(f);
      return undefined;
    }
  }

  /** CRL swaps since start. */
  get reloads(): number {
    return this.#reloads;
  }

  /** True when `serial` (INTEGER content octets) is on the auth root's full or delta CRL. */
  isRevoked(kind: CaKind, serial: Uint8Array): boolean {
    return (
      (this.crl(kind, "full")?.parsed.entries.has(serial) ?? false) ||
      (this.crl(kind, "delta")?.parsed.entries.has(serial) ?? false)
    );
  }

  /** Checks every CRL file once; swaps in the ones that changed and parse. */
  checkForChanges(listener?: ReloadListener): void {
    for (const kind of ["auth", "sign"] as const) {
      if (!this.roots[kind]) continue;
      for (const name of ["full", "delta"] as const) {
        const f = findFile(this.dir, `${kind}-crl-${name}`);
        if (f === undefined) continue;
        const cur = this.#crls.get(`${kind}/${name}`);
        let stamp: string;
        try {
          stamp = stampOf(f);
        } catch {
          continue;
        }
        if ((cur && cur.file === f && cur.stamp === stamp) || this.#failed.get(f) === stamp) continue;
        try {
          const next = this.#load(kind, f);
          this.#crls.set(`${kind}/${name}`, next);
          this.#failed.delete(f);
          this.#reloads++;
          listener?.reloaded(kind, name, next);
        } catch (e) {
          this.#failed.set(f, stamp);
          listener?.failed(kind, name, f, (e as Error).message);
        }
      }
    }
  }

  /** Checks for changed CRLs every `ms` until {@link stopWatching}. */
  watch(ms: number, listener?: ReloadListener): void {
    this.stopWatching();
    this.#timer = setInterval(() => this.checkForChanges(listener), ms);
    this.#timer.unref();
  }

  stopWatching(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
