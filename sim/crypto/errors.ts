/**
 * Typed errors of sim/crypto. Both extend {@link InputError}: a corrupt key-cache file or a
 * malformed crypto task is bad input (a clear one-line message), never a crash.
 * @module
 */
import { InputError } from "../../engine/errors.js";

/**
 * A key-cache batch file could not be used: bad magic, wrong version or key kind, truncated, checksum
 * mismatch, or a key that does not parse. `file` names the offending file.
 */
export class KeyCacheError extends InputError {
  /** Path of the batch file (or directory) that failed. */
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`key cache ${file}: ${problem}`, "E_KEY_CACHE", options);
    this.file = file;
  }
}

/** A crypto pool task was malformed (unknown operation or key kind, lengths that do not match, bad DER). */
export class CryptoTaskError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CRYPTO_TASK", options);
  }
}
