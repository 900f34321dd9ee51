/**
 * Command/response APDU encoding, ISO/IEC 7816-4 §5.1 (short length fields only).
 *
 * The four short cases are recognised from the byte count alone, as a T=1 card does:
 *
 * | case | bytes                         | Lc    | Le                 |
 * |------|-------------------------------|-------|--------------------|
 * | 1    | CLA INS P1 P2                 | —     | —                  |
 * | 2    | CLA INS P1 P2 Le              | —     | 1–256 (`00` = 256) |
 * | 3    | CLA INS P1 P2 Lc data         | 1–255 | —                  |
 * | 4    | CLA INS P1 P2 Lc data Le      | 1–255 | 1–256 (`00` = 256) |
 *
 * Extended length fields (a first length byte of `00` followed by more bytes) are not supported by
 * this card model and answer `6700`, as does any byte count that fits none of the cases. Parsing
 * never throws: a malformed command becomes a status word (FACTS.md §2, DESIGN.md §9).
 * @module
 */
import { SW } from "./status-words.js";

/** A parsed command APDU. */
export interface CommandApdu {
  /** Class byte. */
  readonly cla: number;
  /** Instruction byte. */
  readonly ins: number;
  /** Parameter 1. */
  readonly p1: number;
  /** Parameter 2. */
  readonly p2: number;
  /** Command data (empty for cases 1 and 2). */
  readonly data: Uint8Array;
  /** Ne, the maximum number of response bytes expected (1–256), or `undefined` when Le is absent (cases 1 and 3). */
  readonly ne: number | undefined;
  /** ISO 7816-4 case, 1–4. */
  readonly case: 1 | 2 | 3 | 4;
}

/** Result of {@link parseCommand}: a command, or the status word a real card would answer with. */
export type ParseResult =
  { readonly ok: true; readonly command: CommandApdu } | { readonly ok: false; readonly sw: number };

/**
 * Parse a command APDU from raw bytes.
 * @param bytes what the reader sent
 * @returns the command, or `{ ok: false, sw: 0x6700 }` for anything shorter than a header, an
 *   extended-length encoding, or a byte count that disagrees with Lc
 */
export function parseCommand(bytes: Uint8Array): ParseResult {
  const n = bytes.length;
  if (n < 4) return { ok: false, sw: SW.WRONG_LENGTH };
  const cla = bytes[0] as number;
  const ins = bytes[1] as number;
  const p1 = bytes[2] as number;
  const p2 = bytes[3] as number;
  if (n === 4)
    return { ok: true, command: { cla, ins, p1, p2, data: new Uint8Array(0), ne: undefined, case: 1 } };
  const b4 = bytes[4] as number;
  if (n === 5) {
    return {
      ok: true,
      command: { cla, ins, p1, p2, data: new Uint8Array(0), ne: b4 === 0 ? 256 : b4, case: 2 },
    };
  }
  // n >= 6: a first length byte of 00 can only be the start of an extended Lc/Le — not supported.
  if (b4 === 0) return { ok: false, sw: SW.WRONG_LENGTH };
  const lc = b4;
  if (n === 5 + lc) {
    return { ok: true, command: { cla, ins, p1, p2, data: bytes.slice(5, 5 + lc), ne: undefined, case: 3 } };
  }
  if (n === 6 + lc) {
    const le = bytes[5 + lc] as number;
    return {
      ok: true,
      command: { cla, ins, p1, p2, data: bytes.slice(5, 5 + lc), ne: le === 0 ? 256 : le, case: 4 },
    };
  }
  return { ok: false, sw: SW.WRONG_LENGTH };
}

/** Fields for {@link encodeCommand}. */
export interface CommandFields {
  /** Class byte. */
  readonly cla: number;
  /** Instruction byte. */
  readonly ins: number;
  /** Parameter 1. */
  readonly p1: number;
  /** Parameter 2. */
  readonly p2: number;
  /** Command data, 1–255 bytes; omit or pass empty for cases 1 and 2. */
  readonly data?: Uint8Array;
  /** Ne, 1–256 (encoded `00` for 256); omit for cases 1 and 3. */
  readonly ne?: number;
}

/**
 * Encode a short command APDU (the terminal side). Throws `RangeError` on a programming error
 * (data over 255 bytes, Ne outside 1–256, a header byte outside 0–255): callers build these
 * from constants, not from user input.
 */
export function encodeCommand(fields: CommandFields): Uint8Array {
  const data = fields.data ?? new Uint8Array(0);
  for (const [name, v] of [
    ["cla", fields.cla],
    ["ins", fields.ins],
    ["p1", fields.p1],
    ["p2", fields.p2],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${name} must be a byte, got ${v}`);
  }
  if (data.length > 255) throw new RangeError(`short APDU data is at most 255 bytes, got ${data.length}`);
  if (fields.ne !== undefined && (!Number.isInteger(fields.ne) || fields.ne < 1 || fields.ne > 256)) {
    throw new RangeError(`short APDU Ne is 1..256, got ${fields.ne}`);
  }
  const out: number[] = [fields.cla, fields.ins, fields.p1, fields.p2];
  if (data.length > 0) out.push(data.length, ...data);
  if (fields.ne !== undefined) out.push(fields.ne & 0xff);
  return Uint8Array.from(out);
}

/**
 * Build a response APDU: `data || SW1 || SW2`.
 * @param sw the 16-bit status word
 * @param data response data (omitted for status-only answers)
 */
export function buildResponse(sw: number, data?: Uint8Array): Uint8Array {
  const len = data?.length ?? 0;
  const out = new Uint8Array(len + 2);
  if (data) out.set(data, 0);
  out[len] = (sw >> 8) & 0xff;
  out[len + 1] = sw & 0xff;
  return out;
}

/** A response APDU split into its data and status word. */
export interface ResponseApdu {
  /** Response data (possibly empty). */
  readonly data: Uint8Array;
  /** Status word `SW1 << 8 | SW2`. */
  readonly sw: number;
}

/**
 * Split a response APDU (the terminal side). A response shorter than 2 bytes yields `sw = 0x6F00`
 * and no data — it cannot come from this card, whose every answer carries a status word.
 */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) return { data: new Uint8Array(0), sw: 0x6f00 };
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number) };
}
