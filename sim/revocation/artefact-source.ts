/**
 * The revocation strategies' artefacts as a source for `myna-twin serve` (issue 11 item 4; DESIGN §5
 * `GET /v1/crl/{auth|sign}/full`, `…/delta`, `…/partition/{n}`, `…/filter`): implements the service's
 * {@link RevocationArtefactSource} (sim/services/artefacts.ts), which adds ETag / If-None-Match and
 * Cache-Control. Plain functions over a published set: DER bytes, a strong ETag (SHA-256 of the
 * bytes) and max-age = seconds to the artefact's own nextUpdate, capped; no HTTP server here.
 * @module
 */
import { createHash } from "node:crypto";
import { InputError } from "../../engine/errors.js";
import { REASON_ABSENT, parseCrl } from "../pki/crl-index.js";
import { NO_REASON, RevokedEntriesBuilder, buildCrl } from "../pki/crl-builder.js";
import {
  crlPartitionName,
  partitionLabel,
  serialPartition,
  type JpkiCertKind,
  type JpkiIssuer,
} from "../pki/jpki-profiles.js";
import type { RevocationArtefact, RevocationArtefactSource } from "../services/artefacts.js";
import type { CertType } from "./params.js";

/** What one CA type publishes. */
export interface PublishedSet {
  readonly full?: Uint8Array;
  readonly delta?: Uint8Array;
  readonly partitions?: readonly Uint8Array[];
  /** A filter file (sim/revocation/filter format) and how long it is fresh. */
  readonly filter?: { readonly bytes: Uint8Array; readonly maxAgeSeconds: number };
}

/** Options of {@link revocationArtefactSource}. */
export interface ArtefactSourceOptions {
  /** Longest max-age given (default 3600 s). */
  readonly capSeconds?: number;
  readonly now?: () => number;
}

/** Quoted strong ETag of some bytes. */
export function strongEtag(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 32)}"`;
}

const CRL_TYPE = "application/pkix-crl";

/**
 * A source over `published`. CRLs are parsed once here (a malformed one is refused up front, with
 * the artefact named); each answer's max-age runs to that CRL's nextUpdate, capped at `capSeconds`.
 */
export function revocationArtefactSource(
  published: Partial<Record<CertType, PublishedSet>>,
  opts: ArtefactSourceOptions = {},
): RevocationArtefactSource {
  const cap = opts.capSeconds ?? 3600;
  const now = opts.now ?? Date.now;
  const table = new Map<
    string,
    { bytes: Uint8Array; etag: string; nextUpdate: number | undefined; type: string; fixedAge?: number }
  >();
  for (const type of ["auth", "sign"] as const) {
    const set = published[type];
    if (!set) continue;
    const addCrl = (name: string, der: Uint8Array) => {
      let next: number | undefined;
      try {
        next = parseCrl(der).nextUpdate;
      } catch (e) {
        throw new InputError(
          `revocation artefact ${type}/${name}: not a CRL (${(e as Error).message})`,
          "E_REVOCATION_ARTEFACT",
        );
      }
      table.set(`${type}/${name}`, { bytes: der, etag: strongEtag(der), nextUpdate: next, type: CRL_TYPE });
    };
    if (set.full) addCrl("full", set.full);
    if (set.delta) addCrl("delta", set.delta);
    set.partitions?.forEach((der, i) => addCrl(`partition/${i}`, der));
    if (set.filter)
      table.set(`${type}/filter`, {
        bytes: set.filter.bytes,
        etag: strongEtag(set.filter.bytes),
        nextUpdate: undefined,
        type: "application/octet-stream",
        fixedAge: set.filter.maxAgeSeconds,
      });
  }
  return {
    get(kind, name): RevocationArtefact | undefined {
      const a = table.get(`${kind}/${name}`);
      if (!a) return undefined;
      const left =
        a.fixedAge ??
        (a.nextUpdate === undefined ? cap : Math.max(0, Math.floor((a.nextUpdate - now()) / 1000)));
      return { bytes: a.bytes, etag: a.etag, maxAgeSeconds: Math.min(cap, left), contentType: a.type };
    },
  };
}

/**
 * Strategy (c) for a live CA: re-publish the entries of its current full CRL as `n` partition CRLs
 * (serial mod n, each with the issuingDistributionPoint its certificates name — jpki-profiles.ts
 * `crlPartition`), same thisUpdate, nextUpdate and cRLNumber, signed by the CA. For `serve`:
 * `artefactSources: [revocationArtefactSource({ auth: { partitions: partitionsOf(…) } })]`.
 */
export function partitionsOf(
  issuer: JpkiIssuer & { readonly kind: JpkiCertKind },
  fullCrl: Uint8Array,
  n: number,
): Uint8Array[] {
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new InputError(`partitions: expected 1–4096, got ${n}`, "E_REVOCATION_ARTEFACT");
  const crl = parseCrl(fullCrl, { issuerSpki: issuer.signer.spki });
  if (crl.crlNumber === undefined || crl.nextUpdate === undefined)
    throw new InputError("partitions: the full CRL has no cRLNumber or nextUpdate", "E_REVOCATION_ARTEFACT");
  const parts = Array.from({ length: n }, () => new RevokedEntriesBuilder(20, 16));
  crl.entries.forEach((h) => {
    const serial = crl.entries.serialAt(h);
    const reason = crl.entries.reason(h);
    parts[serialPartition(serial, n)]!.add(
      serial,
      crl.entries.revokedAt(h),
      reason === REASON_ABSENT ? NO_REASON : reason,
    );
  });
  return parts.map((b, p) =>
    buildCrl(
      {
        issuer: issuer.name,
        authorityKeyId: issuer.keyId,
        thisUpdate: crl.thisUpdate,
        nextUpdate: crl.nextUpdate!,
        crlNumber: crl.crlNumber!,
        entries: b.build(),
        distributionPoint: crlPartitionName(issuer.kind, partitionLabel(p)),
        onlyContainsUserCerts: true,
      },
      issuer.signer,
    ).slice(),
  );
}
