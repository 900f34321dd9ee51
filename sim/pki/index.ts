/**
 * sim/pki — DER, JPKI certificates, CRLs and path validation that OpenSSL accepts (DESIGN.md §5–6;
 * FACTS.md §1, §3; RFC 5280). Public surface of the module.
 * @module
 */
export { DerError, PkiError } from "./errors.js";
export type { PkiErrorCode } from "./errors.js";
export { DerWriter, Tag, contextTag, derOf, lengthOfLength, tlvSize } from "./der-writer.js";
export { DerReader, bytesEqual, toHex } from "./der-reader.js";
export { OID, OID_NAMES, checkOid, decodeOid, encodeOid, oidEquals } from "./oids.js";
export {
  checkTime,
  daysInMonth,
  decodeTime,
  isValidTime,
  timeTlvLength,
  usesUtcTime,
  writeTimeAt,
} from "./time.js";
export {
  MAX_CERTIFICATE_BYTES,
  MAX_CRL_BYTES,
  MAX_NAME_BYTES,
  MAX_OID_OCTETS,
  MAX_OID_SUBIDENTIFIER_OCTETS,
  MAX_STRING_BYTES,
} from "./limits.js";
export { checkName, decodeName, encodeName, formatName, writeName } from "./names.js";
export type { AttributeType, Rdn } from "./names.js";
export {
  defaultVerifier,
  generateKey,
  nodeSigner,
  nodeVerifier,
  readAlgorithmIdentifier,
  signatureAlgorithmFromOid,
  signatureAlgorithmOid,
  writeAlgorithmIdentifier,
} from "./signer.js";
export type { GeneratedKey, KeyKind, SignatureAlgorithm, SignatureVerifier, Signer } from "./signer.js";
export * from "./extensions.js";
export { appendSignature, buildCertificate, randomSerial, serialFromBigInt } from "./certificate-builder.js";
export type { CertificateSpec } from "./certificate-builder.js";
export { isWithinValidity, parseCertificate, verifyCertificateSignature } from "./certificate.js";
export type { CertificateView, ExtensionView, ParseCertificateOptions } from "./certificate.js";
export { CrlReason, NO_REASON, RevokedEntriesBuilder, buildCrl, revokedContentSize } from "./crl-builder.js";
export type { CrlReasonCode, CrlSpec, RevokedEntries } from "./crl-builder.js";
export { CrlIndex, REASON_ABSENT, isCrlReason, parseCrl, verifyCrlSignature } from "./crl-index.js";
export type { ParseCrlOptions, ParsedCrl, RevocationStatus } from "./crl-index.js";
export { validatePath } from "./path-validation.js";
export type { PathResult, ValidationOptions } from "./path-validation.js";
export {
  JPKI_SERVICE_NAME_JA,
  birthdayExpiry,
  createJpkiRoot,
  crlPartitionName,
  eraDateOfBirth,
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  jlisRootName,
  jlisRootRdns,
  partitionLabel,
  randomJpkiCn,
  readJpkiSan,
  serialPartition,
} from "./jpki-profiles.js";
export type {
  BasicFacts,
  EndEntityOptions,
  JpkiCertKind,
  JpkiIssuer,
  JpkiProfile,
  JpkiRoot,
  JpkiRootOptions,
  JpkiSanValues,
} from "./jpki-profiles.js";
