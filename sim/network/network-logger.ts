/**
 * The logger the network modules are given (never a global): the subset of sim/services'
 * ServiceLogger they use, so the live hub passes its own and tests pass an array collector.
 * @module
 */

/** Flat structured fields of one log line. */
export type NetworkLogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Where the network writes refusals and notable events. */
export interface NetworkLogger {
  info(msg: string, fields?: NetworkLogFields): void;
  warn(msg: string, fields?: NetworkLogFields): void;
}

/** One captured line (tests). */
export interface CapturedLogLine {
  readonly level: "info" | "warn";
  readonly msg: string;
  readonly fields: NetworkLogFields;
}

/** A logger that keeps lines in memory, for tests and for callers that forward them later. */
export function memoryLogger(): NetworkLogger & { readonly lines: CapturedLogLine[] } {
  const lines: CapturedLogLine[] = [];
  return {
    lines,
    info: (msg, fields = {}) => void lines.push({ level: "info", msg, fields }),
    warn: (msg, fields = {}) => void lines.push({ level: "warn", msg, fields }),
  };
}
