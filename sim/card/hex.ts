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

/**
 * Parse hex text into bytes. Whitespace, `:` and `-` between digits are ignored, case is free.
 * @throws InputError (`E_HEX`) on a non-hex character or an odd number of digits
 */
export function fromHex(text: string): Uint8Array {
  const compact = text.replace(/[\s:-]/g, "");
  if (compact.length % 2 !== 0) {
    throw new InputError(`hex text has an odd number of digits (${compact.length})`, "E_HEX");
  }
  if (!/^[0-9a-fA-F]*$/.test(compact)) {
    throw new InputError(`hex text contains a character other than 0-9, A-F: "${text}"`, "E_HEX");
  }
  const out = new Uint8Array(compact.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(compact.slice(2 * i, 2 * i + 2), 16);
  return out;
}
