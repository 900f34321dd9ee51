/**
 * Input of `myna-twin pki verify`: certificates and CRLs as DER or PEM (RFC 7468 §2: one or more
 * `-----BEGIN <label>-----` blocks of strict base64; labels CERTIFICATE and X509 CRL). A file that
 * cannot be read as the object asked for is an {@link InputError} naming the file and, for DER, the
 * field and byte offset (exit 2); a CRL that decodes but may not be used (an unknown critical
 * extension, RFC 5280 §5.2) is returned as unusable so validation can reject with that reason
 * (exit 3), as OpenSSL does.
 * @module
 */
import { InputError } from "../../engine/errors.js";
import type { CertificateView } from "./certificate.js";
import { parseCertificate } from "./certificate.js";
import type { ParsedCrl } from "./crl-index.js";
import { parseCrl } from "./crl-index.js";
import { DerError, PkiError } from "./errors.js";
import { MAX_CRL_BYTES } from "./limits.js";

/** Most PEM blocks one file may hold. */
export const MAX_PEM_BLOCKS = 1000;

const BEGIN = "-----BEGIN ";
const DASHES = "-----";

/**
 * The DER objects in `bytes`: PEM blocks labelled `label` when the file starts (after white space)
 * with `-----BEGIN `, else `bytes` itself as one DER object. One linear scan, no regular expressions
 * over the whole file.
 */
export function derObjects(bytes: Uint8Array, label: "CERTIFICATE" | "X509 CRL", file: string): Uint8Array[] {
  let p = 0;
  while (
    p < bytes.length &&
    (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09)
  )
    p++;
  if (bytes.length === 0) throw new InputError(`${file}: empty file, expected DER or PEM ${label}`);
  if (bytes[p] !== 0x2d) return [bytes];
  if (bytes.length > 2 * MAX_CRL_BYTES)
    throw new InputError(
      `${file}: ${bytes.length} bytes of PEM is more than the limit of ${2 * MAX_CRL_BYTES}`,
    );
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  const out: Uint8Array[] = [];
  let at = p;
  let line = 1;
  for (let k = 0; k < p; k++) if (bytes[k] === 0x0a) line++;
  for (;;) {
    if (!text.startsWith(BEGIN, at)) {
      const rest = text.slice(at).trim();
      if (rest === "" && out.length > 0) return out;
      throw new InputError(`${file}: line ${line}: expected "-----BEGIN ${label}-----"`);
    }
    const eol = text.indexOf("\n", at);
    const head = (eol < 0 ? text.slice(at) : text.slice(at, eol)).replace(/\r$/, "");
    const want = `${BEGIN}${label}${DASHES}`;
    if (head !== want)
      throw new InputError(
        `${file}: line ${line}: found ${JSON.stringify(head.slice(0, 60))}, expected "${want}"`,
      );
    const end = `-----END ${label}-----`;
    const endAt = text.indexOf(end, eol);
    if (eol < 0 || endAt < 0) throw new InputError(`${file}: line ${line}: no "${end}" line (truncated PEM)`);
    const body = text.slice(eol + 1, endAt).replace(/[\r\n \t]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0)
      throw new InputError(`${file}: line ${line + 1}: the ${label} block is not base64 (RFC 7468 §3)`);
    const der = Buffer.from(body, "base64");
    if (der.length === 0) throw new InputError(`${file}: line ${line}: empty ${label} block`);
    out.push(new Uint8Array(der.buffer, der.byteOffset, der.length));
    if (out.length > MAX_PEM_BLOCKS) throw new InputError(`${file}: more than ${MAX_PEM_BLOCKS} PEM blocks`);
    for (let k = at; k < endAt; k++) if (text.charCodeAt(k) === 10) line++;
    at = endAt + end.length;
    while (at < text.length && /\s/.test(text[at]!)) {
      if (text[at] === "\n") line++;
      at++;
    }
    if (at >= text.length) return out;
  }
}

/** Parse every certificate in `bytes`; a certificate that does not decode is an InputError naming the file. */
export function readCertificates(bytes: Uint8Array, file: string): CertificateView[] {
  return derObjects(bytes, "CERTIFICATE", file).map((der, i, all) => {
    try {
      return parseCertificate(der, { allowUnknownCritical: true });
    } catch (e) {
      if (e instanceof DerError || e instanceof PkiError)
        throw new InputError(
          `${file}${all.length > 1 ? ` (certificate ${i + 1})` : ""}: not a readable certificate: ${e.message}`,
          e.code,
        );
      throw e;
    }
  });
}

/** A CRL that decodes but must not be used, with why. */
export interface UnusableCrl {
  readonly file: string;
  readonly reason: string;
}

/** Parse every CRL in `bytes`: usable ones, and unusable ones (unknown critical extension). */
export function readCrls(bytes: Uint8Array, file: string): { crls: ParsedCrl[]; unusable: UnusableCrl[] } {
  const crls: ParsedCrl[] = [];
  const unusable: UnusableCrl[] = [];
  const all = derObjects(bytes, "X509 CRL", file);
  all.forEach((der, i) => {
    const name = `${file}${all.length > 1 ? ` (CRL ${i + 1})` : ""}`;
    try {
      crls.push(parseCrl(der));
    } catch (e) {
      if (e instanceof PkiError && e.code === "E_PKI_UNKNOWN_CRITICAL_EXTENSION")
        unusable.push({ file: name, reason: e.message });
      else if (e instanceof DerError || e instanceof PkiError)
        throw new InputError(`${name}: not a readable CRL: ${e.message}`, e.code);
      else throw e;
    }
  });
  return { crls, unusable };
}
