/**
 * Typed errors of the revocation filter (sim/revocation/filter): a filter file that does not decode
 * (`E_FILTER_FORMAT`, naming the field and byte offset), a build that cannot be done as asked
 * (`E_FILTER_BUILD`, e.g. one key both revoked and valid), and a delta applied to the wrong base
 * (`E_FILTER_CHAIN`). All are {@link InputError}s: bad input, never a crash.
 * @module
 */
import { InputError } from "../../../engine/errors.js";

/** Stable codes of {@link FilterError}. */
export type FilterErrorCode = "E_FILTER_FORMAT" | "E_FILTER_BUILD" | "E_FILTER_CHAIN";

/** A revocation filter could not be decoded, built or chained. */
export class FilterError extends InputError {
  constructor(code: FilterErrorCode, message: string) {
    super(message, code);
  }
}

/** A decoding error naming the field and the byte offset. */
export function formatError(field: string, offset: number, problem: string): FilterError {
  return new FilterError("E_FILTER_FORMAT", `revocation filter: ${field} at byte ${offset}: ${problem}`);
}
