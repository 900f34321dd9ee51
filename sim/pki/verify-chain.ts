/**
 * Certification path validation of `myna-twin pki verify` (RFC 5280 §6.1 basic path processing with
 * §6.3 CRL processing): builds the path from the end entity through the given intermediates to a
 * trust anchor (by name, then signature; at most {@link MAX_PATH_LENGTH} certificates, no loops),
 * checks pathLenConstraint, and validates each link with {@link validatePath} — issuer is a CA,
 * signatures, validity of every certificate at the validation time, unknown critical extensions,
 * and, when CRLs are given, the revocation of every non-anchor certificate against a complete CRL
 * in scope (issuingDistributionPoint against the certificate's cRLDistributionPoints) plus the
 * newest applicable delta CRL (deltaCRLIndicator against the complete CRL's number) — what OpenSSL
 * 3.0 does only with `-crl_check_all -extended_crl -use_deltas`. The outcome is a one-line reason.
 * @module
 */
import type { CertificateView } from "./certificate.js";
import { verifyCertificateSignature } from "./certificate.js";
import type { ParsedCrl } from "./crl-index.js";
import { bytesEqual } from "./der-reader.js";
import { formatName } from "./names.js";
import type { PathResult } from "./path-validation.js";
import { validatePath } from "./path-validation.js";
import type { SignatureVerifier } from "./signer.js";
import { defaultVerifier } from "./signer.js";
import type { UnusableCrl } from "./verify-input.js";

/** Longest path accepted (end entity, intermediates and anchor). */
export const MAX_PATH_LENGTH = 8;

/** What `pki verify` checks. */
export interface VerifyInput {
  readonly certificate: CertificateView;
  readonly trust: readonly CertificateView[];
  readonly intermediates?: readonly CertificateView[];
  readonly crls?: readonly ParsedCrl[];
  /** CRLs that decoded but must not be used (reported if given). */
  readonly unusableCrls?: readonly UnusableCrl[];
  /** Validation time, epoch ms. */
  readonly at: number;
  readonly verifier?: SignatureVerifier;
}

/** Outcome: the path (end entity first, anchor last) or one line saying why not. */
export type VerifyOutcome =
  | { readonly ok: true; readonly path: readonly CertificateView[]; readonly revocationChecked: boolean }
  | { readonly ok: false; readonly reason: string };

const REASON_NAMES = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  "(7)",
  "removeFromCRL",
  "privilegeWithdrawn",
  "aACompromise",
];

const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");
const where = (depth: number): string => (depth === 0 ? "certificate" : `certificate at depth ${depth}`);
const nameOf = (der: Uint8Array): string => {
  try {
    return formatName(der);
  } catch {
    return "(undecodable name)";
  }
};

/** One line for a failed {@link PathResult} of the link whose child is at `depth`. */
function reasonOf(r: Exclude<PathResult, { status: "ok" }>, depth: number, child: CertificateView): string {
  switch (r.status) {
    case "unknownIssuer":
      return `${where(depth)}: unable to get issuer certificate "${nameOf(child.issuer)}"`;
    case "badSignature":
      return `${where(depth)}: signature does not verify with the issuer's key`;
    case "notCa":
      return `${where(depth + 1)}: not a CA allowed to sign certificates (basicConstraints / keyUsage)`;
    case "unknownCriticalExtension":
      return `${where(depth + r.depth)}: unhandled critical extension ${r.oid}`;
    case "expired":
      return `${where(depth + r.depth)}: expired (notAfter ${iso(r.notAfter)})`;
    case "notYetValid":
      return `${where(depth + r.depth)}: not yet valid (notBefore ${iso(r.notBefore)})`;
    case "revoked": {
      const kind = r.crl.deltaBaseCrlNumber !== undefined ? "delta CRL" : "CRL";
      const num = r.crl.crlNumber !== undefined ? ` ${r.crl.crlNumber}` : "";
      const why = r.reason >= 0 ? `, reason ${REASON_NAMES[r.reason] ?? r.reason}` : "";
      return `${where(depth)}: revoked at ${iso(r.revokedAt)}${why} (${kind}${num})`;
    }
    case "crlMissing":
      return r.why === "deltaWithoutBase"
        ? `${where(depth)}: only a delta CRL is in scope; its base CRL is missing`
        : r.why === "outOfScope"
          ? `${where(depth)}: no CRL in scope (the CRLs given cover other distribution points or certificate classes)`
          : `${where(depth)}: unable to get a CRL from its issuer`;
    case "crlIssuerMismatch":
      return `${where(depth)}: no CRL from its issuer "${nameOf(child.issuer)}" (the CRLs given are from another issuer or key)`;
    case "crlBadSignature":
      return `${where(depth)}: CRL signature does not verify with the issuer's key`;
    case "crlStale":
      return `${where(depth)}: no current CRL (newest: thisUpdate ${iso(r.thisUpdate)}, nextUpdate ${r.nextUpdate !== undefined ? iso(r.nextUpdate) : "absent"})`;
  }
}

/** Issuers of `c` among `pool` by name whose key verifies its signature. */
function issuersOf(
  c: CertificateView,
  pool: readonly CertificateView[],
  v: SignatureVerifier,
): CertificateView[] {
  return pool.filter((p) => bytesEqual(p.subject, c.issuer) && verifyCertificateSignature(c, p.spki, v));
}

/** Validate `input.certificate` up to one of `input.trust`. Never throws for a bad certificate or CRL. */
export function verifyChain(input: VerifyInput): VerifyOutcome {
  const v = input.verifier ?? defaultVerifier;
  const crls = input.crls ?? [];
  const checkRevocation = crls.length > 0 || (input.unusableCrls?.length ?? 0) > 0;
  if (input.unusableCrls && input.unusableCrls.length > 0) {
    const u = input.unusableCrls[0]!;
    return { ok: false, reason: `${u.file}: CRL must not be used: ${u.reason}` };
  }
  const leaf = input.certificate;
  // the end entity is itself a trust anchor: only its validity matters (as OpenSSL)
  const self = input.trust.find((t) => bytesEqual(t.der, leaf.der));
  if (self) {
    if (input.at < leaf.notBefore)
      return { ok: false, reason: `certificate: not yet valid (notBefore ${iso(leaf.notBefore)})` };
    if (input.at > leaf.notAfter)
      return { ok: false, reason: `certificate: expired (notAfter ${iso(leaf.notAfter)})` };
    return { ok: true, path: [leaf], revocationChecked: false };
  }
  const path: CertificateView[] = [leaf];
  let anchor: CertificateView | undefined;
  const inters = input.intermediates ?? [];
  for (;;) {
    const cur = path[path.length - 1]!;
    const trusted = issuersOf(cur, input.trust, v);
    if (trusted.length > 0) {
      anchor = trusted[0]!;
      break;
    }
    const next = issuersOf(cur, inters, v).find((c) => !path.some((p) => bytesEqual(p.der, c.der)));
    if (!next) {
      // say whether an issuer by that name exists but its key does not verify
      const named = [...input.trust, ...inters].some((p) => bytesEqual(p.subject, cur.issuer));
      const depth = path.length - 1;
      return {
        ok: false,
        reason: named
          ? `${where(depth)}: signature does not verify with the key of any issuer named "${nameOf(cur.issuer)}"`
          : `${where(depth)}: unable to get ${depth === 0 ? "" : "its "}issuer certificate "${nameOf(cur.issuer)}" (not among the trusted${inters.length ? " or intermediate" : ""} certificates)`,
      };
    }
    if (path.length + 1 >= MAX_PATH_LENGTH)
      return { ok: false, reason: `path longer than ${MAX_PATH_LENGTH} certificates` };
    path.push(next);
  }
  const full = [...path, anchor];
  // validate links top-down, as RFC 5280 §6.1 processes the path from the anchor
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const child = full[depth]!;
    const issuer = full[depth + 1]!;
    const bc = issuer.basicConstraints;
    // `depth` intermediate CA certificates lie between `issuer` and the end entity (RFC 5280 §4.2.1.9)
    if (bc?.pathLen !== undefined && depth > bc.pathLen)
      return {
        ok: false,
        reason: `${where(depth + 1)}: pathLenConstraint ${bc.pathLen} exceeded (${depth} CA certificates below it)`,
      };
    const r = validatePath(child, [issuer], crls, input.at, { verifier: v, checkRevocation });
    if (r.status !== "ok") return { ok: false, reason: reasonOf(r, depth, child) };
  }
  return { ok: true, path: full, revocationChecked: checkRevocation };
}
