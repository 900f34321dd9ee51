/**
 * Errors of the discrete-event kernel: {@link SimError} for misuse (bad arguments, illegal state
 * changes, invalid yields) and {@link Interrupt}, which {@link Process.interrupt} throws into a
 * process generator. Follows SimPy 4's `SimPyException` → `Interrupt` hierarchy, on top of the
 * project's {@link TwinError}.
 * @module
 */

import { TwinError } from "../errors.js";

/** Stable codes of kernel errors. */
export type SimErrorCode =
  /** An argument was out of range or of the wrong kind (negative delay, capacity ≤ 0, NaN, …). */
  | "E_SIM_ARGUMENT"
  /** An operation is illegal in the object's current state (event triggered twice, value read early, …). */
  | "E_SIM_STATE"
  /** A process yielded something that is not an event of its own environment. */
  | "E_SIM_YIELD"
  /** `step()` was called with nothing scheduled. */
  | "E_SIM_EMPTY"
  /** `run(until: event)` ran out of scheduled events before the event was triggered. */
  | "E_SIM_UNTIL"
  /** A process was interrupted (see {@link Interrupt}). */
  | "E_SIM_INTERRUPT";

/** Error raised by the simulation kernel. `code` says which rule was broken. */
export class SimError extends TwinError {
  declare readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * Thrown into a process generator by {@link Process.interrupt}. The generator may catch it and carry
 * on (for example keep waiting for the event it was waiting for). `cause` is whatever the
 * interrupter passed.
 */
export class Interrupt extends SimError {
  /** What the interrupter gave as the reason (SimPy's `Interrupt.cause`). */
  declare readonly cause: unknown;

  constructor(cause?: unknown) {
    super("E_SIM_INTERRUPT", `process interrupted${cause === undefined ? "" : `: ${describe(cause)}`}`, {
      cause,
    });
  }
}

/** Short printable form of a value, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name ? `a ${ctor.name}` : typeof value;
}

/**
 * The error for a bad argument, naming it: `argumentError("delay", "a finite number >= 0", -1)` gives
 * `delay must be a finite number >= 0, got -1`.
 */
export function argumentError(name: string, expected: string, got: unknown): SimError {
  return new SimError("E_SIM_ARGUMENT", `${name} must be ${expected}, got ${describe(got)}`);
}
