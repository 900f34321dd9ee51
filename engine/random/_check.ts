/**
 * Parameter checks shared by the distributions of engine/random. Each helper throws
 * {@link RandomError} with a message `<where>: <name> must be …, got <value>`. Kept branch-light
 * because they sit on hot paths: a valid call costs one or two comparisons.
 * @module
 */
import { RandomError } from "./errors.js";

function fail(where: string, name: string, expected: string, value: unknown): never {
  throw new RandomError(`${where}: ${name} must be ${expected}, got ${String(value)}`);
}

/** Throws unless `x` is a finite number. */
export function checkFinite(x: number, where: string, name: string): void {
  if (!Number.isFinite(x)) fail(where, name, "a finite number", x);
}

/** Throws unless `x` is finite and ≥ 0. */
export function checkNonNegative(x: number, where: string, name: string): void {
  if (!(x >= 0 && x < Infinity)) fail(where, name, "a finite number ≥ 0", x);
}

/** Throws unless `x` is finite and > 0. */
export function checkPositive(x: number, where: string, name: string): void {
  if (!(x > 0 && x < Infinity)) fail(where, name, "a finite number > 0", x);
}

/** Throws unless `p` lies in [0, 1]. */
export function checkProbability(p: number, where: string, name: string): void {
  if (!(p >= 0 && p <= 1)) fail(where, name, "a probability in [0, 1]", p);
}

/** Throws unless `n` is an integer in [0, max]. */
export function checkCount(n: number, where: string, name: string, max = Number.MAX_SAFE_INTEGER): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= max)) fail(where, name, `an integer in [0, ${max}]`, n);
}

/** Throws a RandomError with the standard message shape. */
export function invalid(where: string, name: string, expected: string, value: unknown): never {
  fail(where, name, expected, value);
}
