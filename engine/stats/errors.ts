/**
 * The error raised by engine/stats on invalid input: a NaN observation, time running backwards in
 * a time-weighted statistic, a value outside a histogram's trackable range, incompatible histograms
 * in a merge, a malformed serialised form. Messages name the argument and what was expected
 * (STYLE-ANCHORS.md, lesson 9).
 * @module
 */
import { TwinError } from "../errors.js";

/**
 * A statistics argument was invalid. Code `E_STATS`.
 * @example
 * try { tw.update(3, 1); tw.update(2, 0); } catch (e) { if (e instanceof StatsError) console.error(e.message); }
 */
export class StatsError extends TwinError {
  /**
   * @param message what was wrong, naming the argument.
   * @param options standard `cause`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_STATS", message, options);
  }
}
