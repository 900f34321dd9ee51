/**
 * The error raised by engine/random when a distribution or stream gets an invalid parameter
 * (NaN, a negative mean, a probability outside [0, 1], a non-integer count, …). The message names
 * the parameter and what was expected, following the lesson "name the option in the message"
 * (STYLE-ANCHORS.md, lesson 9).
 * @module
 */
import { TwinError } from "../errors.js";

/**
 * A random-stream or distribution parameter was invalid. Code `E_RANDOM`.
 * @example
 * try { rng.poisson(-1); } catch (e) { if (e instanceof RandomError) console.error(e.message); }
 */
export class RandomError extends TwinError {
  /**
   * @param message what was wrong, naming the parameter, e.g. `poisson: mean must be ≥ 0, got -1`.
   * @param options standard `cause`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_RANDOM", message, options);
  }
}
