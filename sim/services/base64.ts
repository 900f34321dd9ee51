/**
 * Strict standard base64 (RFC 4648 §4: the alphabet A–Z a–z 0–9 + /, "=" padding only at the end,
 * at most two of it, length a multiple of 4) for the services' JSON fields, decoded in linear time
 * with no regular expression: a backtracking `/^[A-Za-z0-9+/]*={0,2}$/` cost the verify route
 * ≈8 µs per 1.6 KB certificate on the main thread, ≈6 % of its CPU per answer (perf, 2026-12-03);
 * this costs ≈1 µs with the decoding.
 *
 * How it stays exact: node's "base64" decoder also takes the URL-safe `-` and `_`, reads a
 * non-ASCII code unit by its low byte, skips every other character outside the alphabet and stops
 * at the first "=". So after refusing `-`, `_` and any non-ASCII character, a string is standard
 * base64 exactly when the decoder returns all the bytes its length promises (3 per 4 characters,
 * less its trailing padding): one skipped character or an early "=" always leaves fewer.
 * base64.test.ts checks this against the regular expression on random strings.
 * @module
 */

/** The bytes of `s` if it is strict standard base64 (see the module comment), else null. */
export function decodeBase64Strict(s: string): Buffer | null {
  const n = s.length;
  if (n % 4 !== 0) return null;
  if (s.indexOf("-") >= 0 || s.indexOf("_") >= 0 || Buffer.byteLength(s, "utf8") !== n) return null;
  const pad = n === 0 || s.charCodeAt(n - 1) !== 0x3d ? 0 : s.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  const bytes = Buffer.from(s, "base64");
  return bytes.length === (n / 4) * 3 - pad ? bytes : null;
}
