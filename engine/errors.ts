/**
 * Typed errors shared by every layer. Each error carries a stable `code` that the CLI maps to an
 * exit status and tests assert on; messages name the offending input and what was expected.
 * @module
 */

/** Base class of every error myna-twin raises on purpose. */
export class TwinError extends Error {
  /** Stable machine-readable code, e.g. `E_SCENARIO`, `E_DER`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The user's own input was wrong (scenario file, CLI flag, DER, APDU, HTTP body). The CLI prints the
 * message alone — no stack trace — and exits with status 2.
 */
export class InputError extends TwinError {
  constructor(message: string, code = "E_INPUT", options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** True when `e` is an error the user caused and should see as a one-line message. */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/**
 * The output location cannot be used: a file-system failure (permission denied, read-only or full
 * file system, a path component that is not a directory, a dangling symbolic link, …) while
 * claiming or writing a run directory — or a directory another live process holds (`E_DIR_LOCKED`,
 * dir-lock.ts). The CLI prints the message alone and exits with status 3.
 */
export class OutputError extends TwinError {
  /** The path the failure happened at. */
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "E_OUTPUT_FS", message, options);
    this.path = path;
  }
}

/** True when `e` is an {@link OutputError}. */
export function isOutputError(e: unknown): e is OutputError {
  return e instanceof OutputError;
}
