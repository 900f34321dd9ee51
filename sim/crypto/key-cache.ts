/**
 * On-disk cache of generated key pairs (DESIGN.md §6: "keys come from worker threads and may be
 * cached on disk"). RSA-2048 key generation costs ≈160 ms per key on one core, so a run or a test
 * that needs keys takes them from here and generates only what the cache lacks.
 *
 * **The cached keys are for the simulation only.** They sit unencrypted on disk, are shared by every
 * run and test on the machine, and must never protect anything real. The default directory is
 * `.cache/keys/` under the project (git-ignored); deleting it is always safe.
 *
 * **Modes.** Private keys are still private keys: every file of the cache is written 0600 and every
 * directory 0700 (owner only). A cache made before this rule (0644 files in 0755 directories) is
 * repaired the first time a {@link KeyCache} reads it: `take` chmods the cache directory, its kind
 * directories and their files before reading a key, and refuses the cache with a
 * {@link KeyCacheError} when it cannot (not the owner, or the path is not a directory).
 *
 * Layout: `<dir>/<kind>/000000.keys`, `000001.keys`, … — batches read in file-number order, so the
 * first N keys of a kind are the same on every call (`take(kind, N)` is stable once cached). A batch
 * file is
 *
 * ```text
 * "MYNAKEYS" | version u8 (1) | kind u8 | count u32 BE | 2 reserved zero bytes
 * count × ( PKCS#8 PrivateKeyInfo DER ‖ SubjectPublicKeyInfo DER )
 * SHA-256 of everything before it (32 bytes)
 * ```
 *
 * Files are written to a temporary name and hard-linked into place, which fails if the name exists:
 * two processes filling the same cache at once never overwrite each other — the loser discards its
 * batch and reads the winner's, so both see the same keys.
 *
 * **Corrupt files** (bad magic, version or kind, truncation, checksum mismatch, bad DER framing): by
 * default (`onCorrupt: "regenerate"`) the file is renamed to `<name>.corrupt` (kept for inspection),
 * counted in {@link TakeResult.corruptBatches}, and its place is filled with freshly generated keys
 * (as many as its header announced, when that is still readable, so later batches keep their place);
 * with `onCorrupt: "throw"` a {@link KeyCacheError} (code `E_KEY_CACHE`) names the file and the problem.
 * @module
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { threadId } from "node:worker_threads";
import type { KeyKind, KeyPairDer } from "./algorithms.js";
import { KEY_KINDS, checkKind } from "./algorithms.js";
import { KeyCacheError } from "./errors.js";
import { projectRoot } from "./project-root.js";
import { CryptoPool, generateKeyPairs } from "./pool.js";

const MAGIC = Buffer.from("MYNAKEYS", "ascii");
const VERSION = 1;
const HEADER = 16;
const TRAILER = 32;

/** The default cache directory: `<project>/.cache/keys`. */
export function defaultKeyCacheDir(): string {
  return join(projectRoot(), ".cache", "keys");
}

/** Options of {@link KeyCache}. */
export interface KeyCacheOptions {
  /** What to do with a corrupt batch file (see the module doc). Default `"regenerate"`. */
  readonly onCorrupt?: "regenerate" | "throw";
  /** Most keys written to one batch file. Default 256. */
  readonly maxBatch?: number;
}

/** Where to generate missing keys: a running pool, or a thread count for a pool made for the call. */
export interface GenerateOptions {
  readonly pool?: CryptoPool;
  readonly threads?: number;
}

/** What {@link KeyCache.take} returns. */
export interface TakeResult {
  /** The first `count` keys of the kind, in cache order. */
  readonly keys: KeyPairDer[];
  /** Keys read from batch files. */
  readonly fromCache: number;
  /** Keys generated (and written) by this call. */
  readonly generated: number;
  /** Corrupt batch files found, moved aside and regenerated. */
  readonly corruptBatches: number;
}

/** Encode a batch file. */
export function encodeKeyBatch(kind: KeyKind, keys: readonly KeyPairDer[]): Uint8Array {
  let size = HEADER + TRAILER;
  for (const k of keys) size += k.pkcs8.length + k.spki.length;
  const out = Buffer.alloc(size);
  MAGIC.copy(out, 0);
  out[8] = VERSION;
  out[9] = KEY_KINDS.indexOf(kind);
  out.writeUInt32BE(keys.length, 10);
  let p = HEADER;
  for (const k of keys) {
    out.set(k.pkcs8, p);
    p += k.pkcs8.length;
    out.set(k.spki, p);
    p += k.spki.length;
  }
  createHash("sha256").update(out.subarray(0, p)).digest().copy(out, p);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Length of the DER SEQUENCE at `p` (tag + length + content), or -1 if it is not a well-framed SEQUENCE before `end`. */
function sequenceAt(b: Uint8Array, p: number, end: number): number {
  if (p + 2 > end || b[p] !== 0x30) return -1;
  const l1 = b[p + 1]!;
  let len = l1;
  let hdr = 2;
  if (l1 >= 0x80) {
    const n = l1 & 0x7f;
    if (n === 0 || n > 3 || p + 2 + n > end) return -1;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[p + 2 + k]!;
    hdr += n;
  }
  return p + hdr + len <= end ? hdr + len : -1;
}

/** Decode a batch file. @throws KeyCacheError naming `file` and what is wrong */
export function decodeKeyBatch(file: string, bytes: Uint8Array, kind: KeyKind): KeyPairDer[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < HEADER + TRAILER || !b.subarray(0, 8).equals(MAGIC))
    throw new KeyCacheError(file, "not a key batch (bad magic or too short)");
  if (b[8] !== VERSION) throw new KeyCacheError(file, `format version ${b[8]}, expected ${VERSION}`);
  if (b[9] !== KEY_KINDS.indexOf(kind))
    throw new KeyCacheError(file, `holds ${KEY_KINDS[b[9]!] ?? `kind #${b[9]}`} keys, expected ${kind}`);
  const bodyEnd = b.length - TRAILER;
  const sum = createHash("sha256").update(b.subarray(0, bodyEnd)).digest();
  if (!sum.equals(b.subarray(bodyEnd)))
    throw new KeyCacheError(file, "checksum mismatch (truncated or modified)");
  const count = b.readUInt32BE(10);
  const keys: KeyPairDer[] = [];
  let p = HEADER;
  for (let i = 0; i < count; i++) {
    const a = sequenceAt(b, p, bodyEnd);
    const s = a < 0 ? -1 : sequenceAt(b, p + a, bodyEnd);
    if (a < 0 || s < 0) throw new KeyCacheError(file, `key ${i} of ${count} is not DER at byte ${p}`);
    keys.push({
      pkcs8: Uint8Array.from(b.subarray(p, p + a)),
      spki: Uint8Array.from(b.subarray(p + a, p + a + s)),
    });
    p += a + s;
  }
  if (p !== bodyEnd) throw new KeyCacheError(file, `${bodyEnd - p} stray bytes after ${count} keys`);
  return keys;
}

/** Mode of every cache directory: owner only. */
export const KEY_CACHE_DIR_MODE = 0o700;
/** Mode of every cache file: owner read/write only. */
export const KEY_CACHE_FILE_MODE = 0o600;

const README = `Key pairs generated by myna-twin (sim/crypto/key-cache.ts) and reused by later runs and tests.
FOR THE SIMULATION ONLY: unencrypted, shared, never to protect anything real. Safe to delete.
`;

/** A directory of cached key batches (see the module doc). */
export class KeyCache {
  /** The cache directory. */
  readonly dir: string;
  readonly #onCorrupt: "regenerate" | "throw";
  readonly #maxBatch: number;
  #private = false;

  constructor(dir: string = defaultKeyCacheDir(), options: KeyCacheOptions = {}) {
    this.dir = resolve(dir);
    this.#onCorrupt = options.onCorrupt ?? "regenerate";
    this.#maxBatch = options.maxBatch ?? 256;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1)
      throw new KeyCacheError(this.dir, `maxBatch must be a whole number ≥ 1, got ${options.maxBatch}`);
  }

  /** Path of batch `n` of `kind`. */
  batchFile(kind: KeyKind, n: number): string {
    return join(this.dir, kind, `${String(n).padStart(6, "0")}.keys`);
  }

  /**
   * The first `count` keys of `kind`: read from the cache, the shortfall generated on the pool and
   * appended as new batch files.
   * @throws KeyCacheError on a corrupt file with `onCorrupt: "throw"`, or when the directory cannot be written
   */
  async take(kind: KeyKind, count: number, options: GenerateOptions = {}): Promise<TakeResult> {
    checkKind(kind);
    if (!Number.isInteger(count) || count < 0)
      throw new KeyCacheError(this.dir, `key count must be a whole number ≥ 0, got ${count}`);
    this.#makePrivate();
    const keys: KeyPairDer[] = [];
    let fromCache = 0;
    let generated = 0;
    let corruptBatches = 0;
    let own: CryptoPool | undefined;
    // A pool only when something must be generated: a warm cache starts no threads.
    // Size of a corrupt batch, when its header still says, so regenerated keys keep later files aligned.
    const sizeHint = new Map<number, number>();
    const pool = (): CryptoPool => options.pool ?? (own ??= new CryptoPool({ threads: options.threads }));
    try {
      for (let n = 0; keys.length < count;) {
        const file = this.batchFile(kind, n);
        if (existsSync(file)) {
          let batch: KeyPairDer[];
          const bytes = readFileSync(file);
          try {
            batch = decodeKeyBatch(file, bytes, kind);
          } catch (e) {
            if (!(e instanceof KeyCacheError) || this.#onCorrupt === "throw") throw e;
            const hint =
              bytes.length >= HEADER && bytes.subarray(0, 8).equals(MAGIC) ? bytes.readUInt32BE(10) : 0;
            if (hint > 0 && hint <= 1 << 20) sizeHint.set(n, hint);
            renameSync(file, `${file}.corrupt`);
            corruptBatches++;
            continue;
          }
          const use = batch.slice(0, count - keys.length);
          keys.push(...use);
          fromCache += use.length;
          n++;
          continue;
        }
        const size = sizeHint.get(n) ?? this.#maxBatch;
        const fresh = await generateKeyPairs(pool(), kind, Math.min(size, count - keys.length));
        if (this.#publish(file, kind, fresh)) {
          keys.push(...fresh);
          generated += fresh.length;
          n++;
        }
        // else: another process published this batch first; the next pass reads theirs.
      }
    } finally {
      if (own) await own.destroy();
    }
    return { keys, fromCache, generated, corruptBatches };
  }

  /**
   * Bring an existing cache to 0700 directories and 0600 files (once per instance); nothing to do
   * for a cache not created yet. Symbolic links inside are left alone (chmod would follow them).
   * @throws KeyCacheError when the cache path is not a directory or a mode cannot be changed
   */
  #makePrivate(): void {
    if (this.#private) return;
    let st;
    try {
      st = lstatSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new KeyCacheError(this.dir, "cannot read the cache directory", { cause: e });
    }
    if (!st.isDirectory()) throw new KeyCacheError(this.dir, "the key cache path is not a directory");
    const fix = (path: string, mode: number, current: number): void => {
      if ((current & 0o777) === mode) return;
      try {
        chmodSync(path, mode);
      } catch (e) {
        throw new KeyCacheError(
          path,
          `holds private keys but cannot be made ${mode.toString(8)} (${(e as NodeJS.ErrnoException).code}); fix its owner or delete the cache`,
          { cause: e },
        );
      }
    };
    fix(this.dir, KEY_CACHE_DIR_MODE, st.mode);
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      const path = join(this.dir, entry.name);
      if (entry.isFile()) fix(path, KEY_CACHE_FILE_MODE, lstatSync(path).mode);
      else if (entry.isDirectory()) {
        fix(path, KEY_CACHE_DIR_MODE, lstatSync(path).mode);
        for (const inner of readdirSync(path, { withFileTypes: true })) {
          const file = join(path, inner.name);
          if (inner.isFile()) fix(file, KEY_CACHE_FILE_MODE, lstatSync(file).mode);
        }
      }
    }
    this.#private = true;
  }

  /** Write a batch under a temporary name and link it into place; false if `file` already exists. */
  #publish(file: string, kind: KeyKind, keys: readonly KeyPairDer[]): boolean {
    const dir = dirname(file);
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: KEY_CACHE_DIR_MODE });
      // mkdir's mode is filtered by the umask and left alone for existing directories
      chmodSync(this.dir, KEY_CACHE_DIR_MODE);
      chmodSync(dir, KEY_CACHE_DIR_MODE);
      const readme = join(this.dir, "README.txt");
      if (!existsSync(readme)) writeFileSync(readme, README, { mode: KEY_CACHE_FILE_MODE });
      // a fresh file, so the mode applies (a leftover temp file of a crashed run would keep its own)
      if (existsSync(tmp)) unlinkSync(tmp);
      writeFileSync(tmp, encodeKeyBatch(kind, keys), { mode: KEY_CACHE_FILE_MODE, flag: "wx" });
    } catch (cause) {
      throw new KeyCacheError(dir, "cannot write to the cache directory", { cause });
    }
    try {
      linkSync(tmp, file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw new KeyCacheError(file, "cannot publish the batch file", { cause: e });
    } finally {
      unlinkSync(tmp);
    }
  }
}
