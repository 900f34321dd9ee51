/**
 * Real revocation artefacts for the strategies (issue 11 item 2), built with sim/pki on sampled days:
 * (a) the full CRL, (b) a delta CRL over a base (deltaCRLIndicator, RFC 5280 §5.2.4; the base names
 * its delta in freshestCRL), (c) serial-mod-N partitions each carrying an issuingDistributionPoint
 * equal to the CRL DP the certificate names (sim/pki/jpki-profiles.ts, as Let's Encrypt shards,
 * ANCHORS §2.1), (d) a signed status response (status-response.ts). Sizes for every day come from
 * {@link crlBytes}, the exact DER size of a CRL with `n` entries given the same CRL with none: the
 * run checks it against every artefact it builds.
 * @module
 */
import { randomInt } from "../../engine/random/small-prng.js";
import { InputError } from "../../engine/errors.js";
import type { RevokedEntries } from "../pki/crl-builder.js";
import { RevokedEntriesBuilder, buildCrl } from "../pki/crl-builder.js";
import { tlvSize } from "../pki/der-writer.js";
import {
  createJpkiRoot,
  crlPartitionName,
  partitionLabel,
  serialPartition,
  type JpkiRoot,
} from "../pki/jpki-profiles.js";
import { generateKey } from "../pki/signer.js";
import type { CertType } from "./params.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** DER bytes of one CRL entry: SEQUENCE { INTEGER serial, UTCTime, reasonCode extension }. */
export function entryBytes(serialBytes: number, withReason = true): number {
  return 2 + 2 + serialBytes + 15 + (withReason ? 14 : 0);
}

/** The parts of an entry-less CRL that {@link crlBytes} needs. */
export interface CrlShape {
  /** Content length of the TBSCertList without revokedCertificates. */
  readonly tbsContent: number;
  /** Bytes after the TBSCertList: signatureAlgorithm + signatureValue. */
  readonly tail: number;
}

/** Header size of the TLV at `off` in `der`, and its content length. */
function tlvAt(der: Uint8Array, off: number): { header: number; length: number } {
  const b = der[off + 1]!;
  if (b < 0x80) return { header: 2, length: b };
  const n = b & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[off + 2 + i]!;
  return { header: 2 + n, length: len };
}

/** Shape of a CRL built with no entries (the same issuer, extensions and signer). */
export function crlShape(emptyCrl: Uint8Array): CrlShape {
  const outer = tlvAt(emptyCrl, 0);
  const tbs = tlvAt(emptyCrl, outer.header);
  return { tbsContent: tbs.length, tail: outer.length - tlvSize(tbs.length) };
}

/** Exact DER size of that CRL with `entries` entries of `perEntry` bytes each. */
export function crlBytes(shape: CrlShape, entries: number, perEntry: number): number {
  const n = Math.max(0, Math.round(entries));
  const tbs = shape.tbsContent + (n > 0 ? tlvSize(n * perEntry) : 0);
  return tlvSize(tlvSize(tbs) + shape.tail);
}

/** A sample CA: one J-LIS root of a type and generation with a fresh RSA-2048 key. */
export function createSampleRoot(type: CertType, generation: number, notBefore: number): JpkiRoot {
  return createJpkiRoot({ kind: type, signer: generateKey("rsa2048").signer, notBefore, generation });
}

/**
 * `n` random revoked entries: 16-byte (by default) positive serials with the high bit clear, so every
 * entry has exactly {@link entryBytes} bytes; revocation times spread over the day before `at`.
 */
export function randomEntries(
  rnd: () => number,
  n: number,
  at: number,
  reason: number,
  serialBytes = 16,
): RevokedEntries {
  const b = new RevokedEntriesBuilder(serialBytes, Math.max(1, n));
  const serial = new Uint8Array(serialBytes);
  for (let i = 0; i < n; i++) {
    serial[0] = 1 + randomInt(rnd, 127);
    for (let k = 1; k < serialBytes; k++) serial[k] = randomInt(rnd, 256);
    b.add(serial, at - DAY + randomInt(rnd, 86_400) * 1000, reason);
  }
  return b.build();
}

/** Entries whose serial falls in partition `p` of `n` (serial mod n). */
export function partitionOf(e: RevokedEntries, p: number, n: number): RevokedEntries {
  const w = e.serialWidth;
  const b = new RevokedEntriesBuilder(w, Math.max(1, Math.ceil((e.count / n) * 1.5)));
  for (let i = 0; i < e.count; i++) {
    const s = e.serials.subarray(i * w, (i + 1) * w);
    if (serialPartition(s, n) === p) b.add(s, e.revocationTimes[i]!, e.reasons ? e.reasons[i]! : 0xff);
  }
  return b.build();
}

/** What {@link buildCrlArtefacts} builds for one CA on one day. */
export interface CrlArtefacts {
  /** (a) full CRL (also the base of the delta). */
  readonly full: Uint8Array;
  /** (b) delta over `full`'s cRLNumber. */
  readonly delta: Uint8Array;
  /** (c) one CRL per partition. */
  readonly partitions: readonly Uint8Array[];
  /** Entry-less CRLs of each kind, for {@link crlShape}. */
  readonly empty: { readonly full: Uint8Array; readonly delta: Uint8Array; readonly partition: Uint8Array };
}

/** Options of {@link buildCrlArtefacts}. */
export interface CrlArtefactOptions {
  readonly root: JpkiRoot;
  readonly type: CertType;
  /** thisUpdate (epoch ms). */
  readonly at: number;
  /** Entries of the full CRL (the base). */
  readonly full: RevokedEntries;
  /** Entries added since the base (the delta). */
  readonly delta: RevokedEntries;
  readonly partitions: number;
  /** cRLNumber of the full CRL; the delta gets the next one, partitions share the full's. */
  readonly crlNumber: number;
  /** nextUpdate − thisUpdate of the full CRL and partitions (ms); deltas get `deltaValidity`. */
  readonly validity?: number;
  readonly deltaValidity?: number;
}

/** Build every CRL artefact of one CA on one day. */
export function buildCrlArtefacts(o: CrlArtefactOptions): CrlArtefacts {
  if (!Number.isInteger(o.partitions) || o.partitions < 1 || o.partitions > 4096)
    throw new InputError(
      `revocation.strategies.partitions: expected 1–4096, got ${o.partitions}`,
      "E_SCENARIO",
    );
  const validity = o.validity ?? DAY + 6 * HOUR;
  const deltaValidity = o.deltaValidity ?? 2 * HOUR;
  const root = o.root;
  const common = { issuer: root.name, authorityKeyId: root.keyId, thisUpdate: o.at };
  const fresh = crlPartitionName(o.type, "delta");
  const fullSpec = {
    ...common,
    nextUpdate: o.at + validity,
    crlNumber: o.crlNumber,
    freshestCrl: fresh,
  };
  const deltaSpec = {
    ...common,
    nextUpdate: o.at + deltaValidity,
    crlNumber: o.crlNumber + 1,
    deltaBaseCrlNumber: o.crlNumber,
  };
  const partSpec = (p: number) => ({
    ...common,
    nextUpdate: o.at + validity,
    crlNumber: o.crlNumber,
    distributionPoint: crlPartitionName(o.type, partitionLabel(p)),
    onlyContainsUserCerts: true,
  });
  const copy = (d: Uint8Array) => d.slice();
  return {
    full: copy(buildCrl({ ...fullSpec, entries: o.full }, root.signer)),
    delta: copy(buildCrl({ ...deltaSpec, entries: o.delta }, root.signer)),
    partitions: Array.from({ length: o.partitions }, (_, p) =>
      copy(buildCrl({ ...partSpec(p), entries: partitionOf(o.full, p, o.partitions) }, root.signer)),
    ),
    empty: {
      full: copy(buildCrl(fullSpec, root.signer)),
      delta: copy(buildCrl(deltaSpec, root.signer)),
      partition: copy(buildCrl(partSpec(0), root.signer)),
    },
  };
}
