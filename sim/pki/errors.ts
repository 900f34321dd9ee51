/**
 * Typed errors of the PKI layer. Every failure to decode DER names what was being read and the byte
 * offset where it went wrong; every failure of a certificate or CRL names the rule (RFC 5280 section)
 * it broke. Both extend {@link InputError}: a bad certificate or CRL is bad input, never a crash.
 * @module
 */
import { InputError } from "../../engine/errors.js";

/** DER could not be decoded: truncated, non-minimal, indefinite length, bad tag, trailing bytes… (X.690 §8, §10). */
export class DerError extends InputError {
  /** Byte offset (into the buffer being decoded) where the problem was found. */
  readonly offset: number;
  /** What was being read, e.g. `"TBSCertList.revokedCertificates[12].userCertificate"`. */
  readonly what: string;
  /** The problem alone, without the field and offset. */
  readonly problem: string;
  /** Set when an input size limit was exceeded: the limit (bytes or octets) that was broken. */
  readonly limit: number | undefined;

  constructor(what: string, offset: number, problem: string, limit?: number) {
    super(`DER error in ${what} at byte ${offset}: ${problem}`, "E_DER");
    this.offset = offset;
    this.what = what;
    this.problem = problem;
    this.limit = limit;
  }

  /** The same problem, re-attributed to another field name (e.g. with an entry index added). */
  renamed(what: string): DerError {
    return new DerError(what, this.offset, this.problem, this.limit);
  }
}

/** Stable codes of {@link PkiError}. */
export type PkiErrorCode =
  | "E_PKI_UNKNOWN_CRITICAL_EXTENSION"
  | "E_PKI_UNSUPPORTED_ALGORITHM"
  | "E_PKI_BAD_SIGNATURE"
  | "E_PKI_PROFILE"
  | "E_PKI_INPUT";

/**
 * A structurally valid certificate or CRL broke an RFC 5280 rule, or builder input was out of profile
 * (e.g. a 21-octet serial, a non-printable PrintableString, an unknown critical extension).
 */
export class PkiError extends InputError {
  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}
