/**
 * Hex in/out for APDU transcripts: `"00 A4 04 0C"` ↔ bytes. Tests and logs use the spaced,
 * upper-case form FACTS.md §2.4/§2.6 prints.
 * @module
 */
import { InputError } from "../../engine/errors.js";

/**
 * Bytes as upper-case hex pairs joined by `separator` (a single space by default).
 * @param bytes the bytes to print
 * @param separator text between pairs; `""` gives the compact form
 */
export function toHex(bytes: Uint8Array, separator = " "): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += separator;
    out += (bytes[i] as number).toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** How much of a bad input {@link fromHex} quotes in its message. */
export const HEX_EXCERPT_CHARS = 24;

/** The first `max` characters of `text`, JSON-quoted, with its length when it was cut. */
export function excerpt(text: string, max = HEX_EXCERPT_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

/**
 * Parse hex text into bytes. Whitespace, `:` and `-` between digits are ignored, case is free.
 * @throws InputError (`E_HEX`) on a non-hex character or an odd number of digits; the message quotes
 *   at most {@link HEX_EXCERPT_CHARS} characters of the text, never all of a long line
 */
export function fromHex(text: string): Uint8Array {
  const compact = text.replace(/[\s:-]/g, "");
  if (!/^[0-9a-fA-F]*$/.test(compact)) {
    const at = /[^0-9a-fA-F]/.exec(compact)!.index;
    throw new InputError(
      `hex text contains a character other than 0-9, A-F (${JSON.stringify(compact[at])} after ${at} digits): ${excerpt(text)}`,
      "E_HEX",
    );
  }
  if (compact.length % 2 !== 0) {
    throw new InputError(`hex text has an odd number of digits (${compact.length})`, "E_HEX");
  }
  const out = new Uint8Array(compact.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(2 * i, 2 * i + 2), 16);
  return out;
}
