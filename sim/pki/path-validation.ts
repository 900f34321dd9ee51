/**
 * Certification path validation for JPKI's two-level hierarchy (RFC 5280 §6.1 basic path processing,
 * restricted to a trust anchor issuing end entities directly, FACTS.md §1.2) with CRL checking
 * (RFC 5280 §6.3: scope via issuingDistributionPoint/cRLDistributionPoints, delta CRLs via
 * deltaCRLIndicator, freshness via thisUpdate/nextUpdate). Every outcome is a typed
 * {@link PathResult}; nothing throws for a bad certificate or CRL. All root generations share one DN,
 * so the issuer is chosen by signature verification, with the name and AKI only narrowing the search.
 * @module
 */
import type { CertificateView } from "./certificate.js";
import { isWithinValidity, verifyCertificateSignature } from "./certificate.js";
import { CrlReason } from "./crl-builder.js";
import type { ParsedCrl } from "./crl-index.js";
import { verifyCrlSignature } from "./crl-index.js";
import { bytesEqual } from "./der-reader.js";
import { KeyUsage } from "./extensions.js";
import type { SignatureVerifier } from "./signer.js";
import { defaultVerifier } from "./signer.js";

/** Outcome of {@link validatePath}. `depth` 0 is the end entity, 1 its issuer (the root). */
export type PathResult =
  | {
      readonly status: "ok";
      readonly root: CertificateView;
      readonly crl: ParsedCrl | undefined;
      readonly delta: ParsedCrl | undefined;
    }
  | { readonly status: "unknownIssuer" }
  | { readonly status: "badSignature" }
  | { readonly status: "notCa"; readonly root: CertificateView }
  | { readonly status: "unknownCriticalExtension"; readonly depth: number; readonly oid: string }
  | { readonly status: "expired"; readonly depth: number; readonly notAfter: number }
  | { readonly status: "notYetValid"; readonly depth: number; readonly notBefore: number }
  | {
      readonly status: "revoked";
      readonly reason: number;
      readonly revokedAt: number;
      readonly crl: ParsedCrl;
    }
  | {
      readonly status: "crlMissing";
      /** Why no complete CRL applies: none from the issuer verified in scope, only CRLs for other
       * distribution points / certificate classes, or only delta CRLs whose base CRL is missing. */
      readonly why: "none" | "outOfScope" | "deltaWithoutBase";
    }
  | { readonly status: "crlIssuerMismatch" }
  | { readonly status: "crlBadSignature" }
  | { readonly status: "crlStale"; readonly thisUpdate: number; readonly nextUpdate: number | undefined };

/** Options of {@link validatePath}. */
export interface ValidationOptions {
  readonly verifier?: SignatureVerifier;
  /** Check revocation (default true): without an applicable, current, authentic CRL the result is a crl* failure. */
  readonly checkRevocation?: boolean;
  /** Apply delta CRLs on top of their base (default true). */
  readonly useDeltas?: boolean;
}

const crlChecks = new WeakMap<ParsedCrl, WeakMap<Uint8Array, boolean>>();

function crlVerifies(crl: ParsedCrl, root: CertificateView, verifier: SignatureVerifier): boolean {
  let m = crlChecks.get(crl);
  if (!m) crlChecks.set(crl, (m = new WeakMap()));
  let ok = m.get(root.spki);
  if (ok === undefined) {
    ok = verifyCrlSignature(crl, root.spki, verifier);
    m.set(root.spki, ok);
  }
  return ok;
}

function akiFits(aki: Uint8Array | undefined, root: CertificateView): boolean {
  return aki === undefined || root.subjectKeyId === undefined || bytesEqual(aki, root.subjectKeyId);
}

/**
 * The CRL covers `cert` for every reason (RFC 5280 §6.3.3 (b), (d)): no IDP, or an IDP whose
 * distributionPoint is named in the cert's cRLDistributionPoints and whose onlyContains* flags admit
 * it. CRLs limited to some reasons (onlySomeReasons) or indirect CRLs (entries of other issuers) are
 * not used: the twin never writes them, and using one as complete would miss revocations.
 */
export function inScope(crl: ParsedCrl, cert: CertificateView): boolean {
  if (!crl.hasIssuingDistributionPoint) return true;
  if (crl.onlySomeReasons || crl.indirectCrl || crl.onlyContainsAttributeCerts) return false;
  if (crl.onlyContainsCACerts) return cert.basicConstraints?.ca === true;
  if (crl.onlyContainsUserCerts && cert.basicConstraints?.ca === true) return false;
  if (crl.distributionPoint.length === 0) return true;
  for (const dp of cert.crlDistributionPoints)
    for (const name of dp) for (const idp of crl.distributionPoint) if (bytesEqual(name, idp)) return true;
  return false;
}

function sameScope(a: ParsedCrl, b: ParsedCrl): boolean {
  if (a.hasIssuingDistributionPoint !== b.hasIssuingDistributionPoint) return false;
  if (a.distributionPoint.length !== b.distributionPoint.length) return false;
  return a.distributionPoint.every((n, i) => bytesEqual(n, b.distributionPoint[i]!));
}

const isCurrent = (c: ParsedCrl, at: number): boolean =>
  c.thisUpdate <= at && (c.nextUpdate === undefined || at <= c.nextUpdate);
const newer = (a: ParsedCrl, b: ParsedCrl | undefined): boolean =>
  b === undefined ||
  (a.crlNumber ?? -1n) > (b.crlNumber ?? -1n) ||
  ((a.crlNumber ?? -1n) === (b.crlNumber ?? -1n) && a.thisUpdate > b.thisUpdate);

/**
 * Validate `cert` at `atTime` against trust anchors `roots` and the CRLs on hand.
 * Checks, in order: issuer found by name + signature, unknown critical extensions, the issuer is a CA
 * allowed to sign certificates, validity of both certificates, then revocation.
 */
export function validatePath(
  cert: CertificateView,
  roots: readonly CertificateView[],
  crls: readonly ParsedCrl[],
  atTime: number | Date,
  options: ValidationOptions = {},
): PathResult {
  const at = typeof atTime === "number" ? atTime : atTime.getTime();
  const verifier = options.verifier ?? defaultVerifier;
  const named = roots.filter((r) => bytesEqual(r.subject, cert.issuer));
  if (named.length === 0) return { status: "unknownIssuer" };
  // AKI-matching candidates first; the signature decides.
  named.sort((a, b) => Number(!akiFits(cert.authorityKeyId, a)) - Number(!akiFits(cert.authorityKeyId, b)));
  const root = named.find((r) => verifyCertificateSignature(cert, r.spki, verifier));
  if (!root) return { status: "badSignature" };

  for (const [depth, c] of [cert, root].entries())
    if (c.unknownCriticalExtensions.length > 0)
      return { status: "unknownCriticalExtension", depth, oid: c.unknownCriticalExtensions[0]! };
  if (
    root.basicConstraints?.ca !== true ||
    (root.keyUsage !== undefined && !(root.keyUsage & (1 << KeyUsage.keyCertSign)))
  )
    return { status: "notCa", root };
  for (const [depth, c] of [cert, root].entries()) {
    if (at < c.notBefore) return { status: "notYetValid", depth, notBefore: c.notBefore };
    if (!isWithinValidity(c, at)) return { status: "expired", depth, notAfter: c.notAfter };
  }
  if (options.checkRevocation === false) return { status: "ok", root, crl: undefined, delta: undefined };

  if (crls.length === 0) return { status: "crlMissing", why: "none" };
  const sameName = crls.filter((c) => bytesEqual(c.issuer, cert.issuer));
  if (sameName.length === 0) return { status: "crlIssuerMismatch" };
  const authentic = sameName.filter((c) => akiFits(c.authorityKeyId, root) && crlVerifies(c, root, verifier));
  if (authentic.length === 0)
    return sameName.some((c) => c.authorityKeyId !== undefined && akiFits(c.authorityKeyId, root))
      ? { status: "crlBadSignature" }
      : { status: "crlIssuerMismatch" };
  if (root.keyUsage !== undefined && !(root.keyUsage & (1 << KeyUsage.cRLSign)))
    return { status: "crlIssuerMismatch" };

  const scoped = authentic.filter((c) => c.deltaBaseCrlNumber === undefined && inScope(c, cert));
  if (scoped.length === 0) {
    const deltas = authentic.some((c) => c.deltaBaseCrlNumber !== undefined && inScope(c, cert));
    const other = authentic.some((c) => !inScope(c, cert));
    return { status: "crlMissing", why: deltas ? "deltaWithoutBase" : other ? "outOfScope" : "none" };
  }
  let base: ParsedCrl | undefined;
  let freshest: ParsedCrl | undefined;
  for (const c of scoped) {
    if (newer(c, freshest)) freshest = c;
    if (isCurrent(c, at) && newer(c, base)) base = c;
  }
  if (!base)
    return { status: "crlStale", thisUpdate: freshest!.thisUpdate, nextUpdate: freshest!.nextUpdate };

  let delta: ParsedCrl | undefined;
  if (options.useDeltas !== false && base.crlNumber !== undefined) {
    for (const d of authentic) {
      if (d.deltaBaseCrlNumber === undefined || d.crlNumber === undefined) continue;
      if (d.deltaBaseCrlNumber > base.crlNumber || d.crlNumber <= base.crlNumber) continue;
      if (!sameScope(d, base) || !isCurrent(d, at)) continue;
      if (newer(d, delta)) delta = d;
    }
  }
  const serial = magnitude(cert.serial);
  if (delta) {
    const h = delta.entries.find(serial);
    if (h >= 0) {
      const reason = delta.entries.reason(h);
      if (reason !== CrlReason.removeFromCRL)
        return { status: "revoked", reason, revokedAt: delta.entries.revokedAt(h), crl: delta };
      return { status: "ok", root, crl: base, delta };
    }
  }
  const h = base.entries.find(serial);
  if (h >= 0)
    return {
      status: "revoked",
      reason: base.entries.reason(h),
      revokedAt: base.entries.revokedAt(h),
      crl: base,
    };
  return { status: "ok", root, crl: base, delta };
}

function magnitude(serial: Uint8Array): Uint8Array {
  return serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial;
}
