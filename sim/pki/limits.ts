/**
 * Input size limits of the DER parsers (DESIGN.md §9: every input has a size limit that its error
 * names). Each bound is far above what a well-formed JPKI artefact needs and low enough that the
 * parsers' linear work on a hostile input stays small. Breaking one is a {@link DerError} whose
 * `limit` field holds the bound and whose message names it.
 * @module
 */
import { DerError } from "./errors.js";

/**
 * Largest certificate {@link parseCertificate} accepts: 64 KiB. A JPKI certificate is ≈1.5 KB
 * (RSA-2048) and the J-LIS roots ≈1.8 KB; RFC 5280 sets no bound, so this leaves 40× headroom.
 */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/**
 * Largest CRL {@link parseCrl} accepts: 2 GiB. A 10^7-entry JPKI CRL is ≈0.5 GB (≈49 bytes per entry,
 * bench/crl.ts), so this holds ≈4×10^7 revoked certificates — above the steady state of tens of
 * millions (DESIGN.md §2.4). It also keeps every entry offset below 2^31, as the index's
 * `Uint32Array` slots require.
 */
export const MAX_CRL_BYTES = 2 * 1024 * 1024 * 1024;

/** Largest Name DER {@link decodeName} accepts on its own (inside a certificate the certificate bound applies): 64 KiB. */
export const MAX_NAME_BYTES = 64 * 1024;

/**
 * Longest directory string value (UTF8String, PrintableString, IA5String, TeletexString, BMPString)
 * the reader decodes: 4 KiB of content octets. X.520's upper bounds are 64–128 characters (ub-name
 * 32768 is the only larger one and no JPKI attribute uses it); a J-LIS address otherName is a few
 * hundred UTF-8 bytes.
 */
export const MAX_STRING_BYTES = 4096;

/**
 * Longest OBJECT IDENTIFIER content the reader decodes: 127 octets (the short-form length
 * {@link encodeOid} writes). The longest OIDs in X.509 use are ≈30 octets.
 */
export const MAX_OID_OCTETS = 127;

/**
 * Longest single OID sub-identifier: 20 octets (140 bits), enough for the 128-bit UUID arcs of
 * `2.25` (X.667) and far beyond RFC 5280's "up to 2^28" per arc; longer ones are rejected before any
 * big-number arithmetic, so decoding stays linear.
 */
export const MAX_OID_SUBIDENTIFIER_OCTETS = 20;

/** Throw the {@link DerError} for `size` exceeding `limit` (named `limitName`) when it does. */
export function checkSize(what: string, size: number, limit: number, limitName: string): void {
  if (size > limit)
    throw new DerError(
      what,
      0,
      `input of ${size} bytes exceeds the limit ${limitName} = ${limit} bytes`,
      limit,
    );
}
