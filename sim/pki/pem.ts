/**
 * PEM armour (RFC 7468 §2–§5: base64 lines of 64 characters between `-----BEGIN <label>-----` and
 * `-----END <label>-----`) for the certificates and CRLs sim/pki builds, so the `openssl` CLI
 * reads them directly. Built as bytes with one copy per line, so a 50 MB CRL becomes PEM in a
 * fraction of a second.
 * @module
 */

/** The labels this module writes (RFC 7468 §5 CERTIFICATE, §6 X509 CRL). */
export type PemLabel = "CERTIFICATE" | "X509 CRL";

/** PEM bytes (ASCII) for `der` under `label`, ending in a newline. */
export function pemBytes(label: PemLabel, der: Uint8Array): Uint8Array {
  const src = Buffer.from(
    Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64"),
    "latin1",
  );
  const header = `-----BEGIN ${label}-----\n`;
  const footer = `-----END ${label}-----\n`;
  const out = Buffer.allocUnsafe(header.length + src.length + Math.ceil(src.length / 64) + footer.length);
  let p = out.write(header, 0, "latin1");
  for (let i = 0; i < src.length; i += 64) {
    p += src.copy(out, p, i, Math.min(i + 64, src.length));
    out[p++] = 0x0a;
  }
  p += out.write(footer, p, "latin1");
  return out.subarray(0, p);
}

/** PEM text for `der` under `label`, ending in a newline. */
export function pemOf(label: PemLabel, der: Uint8Array): string {
  return Buffer.from(pemBytes(label, der)).toString("latin1");
}
