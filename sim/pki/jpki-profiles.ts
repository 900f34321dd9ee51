/**
 * The JPKI certificate profiles (FACTS.md §1.1–1.4, §1.6; RFC 5280 §4.2.1):
 *
 * - Two self-signed J-LIS roots, one per certificate type, DN exactly
 *   `C=JP, O=JPKI, OU=JPKI for digital signature | JPKI for user authentication,
 *   OU=Japan Agency for Local Authority Information Systems` (all generations share it, §1.2);
 *   keyUsage keyCertSign+cRLSign (critical), basicConstraints CA (critical), SKI, AKI, a Japanese
 *   DirName subjectAltName and a DirName CRL distribution point (the ARL), as in the published 2023 root.
 * - Signature certificate: subject `C=JP, L=<prefecture>, L=<municipality>, CN=<23-char id>`, the 4 basic
 *   facts as subjectAltName otherNames 1.2.392.200149.8.5.5.1–.6 (UTF8String, in the order a real card
 *   shows: name, date of birth, sex, address, name-substitute map, address-substitute map),
 *   keyUsage digitalSignature+nonRepudiation (critical), policy 1.2.392.200149.8.5.1.1.20.
 * - Authentication certificate: anonymous `C=JP, CN=<23-char id>`, keyUsage digitalSignature (critical),
 *   policy 1.2.392.200149.8.5.1.3.30.
 * - Both: issuerAltName `C=JP, O=公的個人認証サービス`, AKI/SKI, a DirName CRL distribution point
 *   `…, OU=CRL Distribution Points[, OU=<prefecture>], CN=<partition> CRLDP` (the pattern used by JPKI
 *   partner mocks: CRLs partitioned per municipality), validity from issuance to the holder's 5th
 *   birthday after issuance at 23:59:59 JST (§1.4); next-generation profile: ECDSA P-384/SHA-384 and
 *   the 10th birthday (§1.6).
 * @module
 */
import { randomBytes } from "node:crypto";
import type { CertificateView } from "./certificate.js";
import { parseCertificate } from "./certificate.js";
import { buildCertificate, randomSerial } from "./certificate-builder.js";
import { DerReader } from "./der-reader.js";
import { Tag } from "./der-writer.js";
import { PkiError } from "./errors.js";
import type { Extension } from "./extensions.js";
import {
  KeyUsage,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  directoryName,
  issuerAltName,
  keyIdentifier,
  keyUsage,
  otherNameUtf8,
  subjectAltName,
  subjectKeyIdentifier,
} from "./extensions.js";
import type { Rdn } from "./names.js";
import { encodeName } from "./names.js";
import { OID, oidEquals } from "./oids.js";
import type { Signer } from "./signer.js";
import { civilFromDays, daysFromCivil } from "./time.js";

/** `sign` = 署名用電子証明書, `auth` = 利用者証明用電子証明書. */
export type JpkiCertKind = "sign" | "auth";

/** `current` = RSA-2048/SHA-256, 5 years; `nextGen` = ECDSA P-384/SHA-384, 10 years (FACTS §1.6). */
export type JpkiProfile = "current" | "nextGen";

const OU_BY_KIND: Readonly<Record<JpkiCertKind, string>> = {
  sign: "JPKI for digital signature",
  auth: "JPKI for user authentication",
};
const JLIS_OU = "Japan Agency for Local Authority Information Systems";
/** 公的個人認証サービス — the service name in the roots' and end entities' alternative names. */
export const JPKI_SERVICE_NAME_JA = "公的個人認証サービス";
const JLIS_NAME_JA = "地方公共団体情報システム機構";
const ROOT_SAN_OU_JA: Readonly<Record<JpkiCertKind, string>> = {
  sign: "公的個人認証サービス署名用",
  auth: "公的個人認証サービス利用者証明用",
};

/** RDNs of the J-LIS root of `kind` (FACTS §1.2). */
export function jlisRootRdns(kind: JpkiCertKind): Rdn[] {
  return [
    ["C", "JP"],
    ["O", "JPKI"],
    ["OU", OU_BY_KIND[kind]],
    ["OU", JLIS_OU],
  ];
}

/** DER Name of the J-LIS root of `kind`. */
export function jlisRootName(kind: JpkiCertKind): Uint8Array {
  return encodeName(jlisRootRdns(kind));
}

/**
 * Name of a CRL distribution point: `…root DN…, OU=CRL Distribution Points[, OU=<group>][, CN=<partition> CRLDP]`.
 * Without `partition` it names the single, unpartitioned CRL.
 */
export function crlPartitionName(kind: JpkiCertKind, partition?: string, group?: string): Uint8Array {
  const rdns: Rdn[] = [...jlisRootRdns(kind), ["OU", "CRL Distribution Points"]];
  if (group !== undefined) rdns.push(["OU", group]);
  if (partition !== undefined) rdns.push(["CN", `${partition} CRLDP`]);
  return encodeName(rdns);
}

/** Partition of a serial under serial-mod-N sharding (the unsigned magnitude mod `n`). */
export function serialPartition(serial: Uint8Array, n: number): number {
  let acc = 0;
  for (let i = 0; i < serial.length; i++) acc = (acc * 256 + serial[i]!) % n;
  return acc;
}

/** Label of partition `i` for serial-mod-N sharding, e.g. `P0007`. */
export function partitionLabel(i: number): string {
  return `P${String(i).padStart(4, "0")}`;
}

/** An issuing CA as the builders need it. */
export interface JpkiIssuer {
  readonly kind: JpkiCertKind;
  /** Issuer Name DER (the root's subject). */
  readonly name: Uint8Array;
  /** The root's subjectKeyIdentifier, written as the AKI of what it issues. */
  readonly keyId: Uint8Array;
  readonly signer: Signer;
}

/** A J-LIS root: its certificate and what is needed to issue under it. */
export interface JpkiRoot extends JpkiIssuer {
  /** 1, 2, 3… (FACTS §1.2 table); informational. */
  readonly generation: number;
  readonly der: Uint8Array;
  readonly certificate: CertificateView;
}

/** Options of {@link createJpkiRoot}. */
export interface JpkiRootOptions {
  readonly kind: JpkiCertKind;
  /** The root key; its public key is certified. */
  readonly signer: Signer;
  readonly notBefore: number | Date;
  /** Default: 10 years after notBefore, at 23:59:59 JST of the day before (as the published roots). */
  readonly notAfter?: number | Date;
  readonly generation?: number;
  readonly serial?: Uint8Array;
  /** Write AKI (= own SKI). Published J-LIS roots omit it; default true (harmless for self-signed). */
  readonly authorityKeyId?: boolean;
}

const MS_PER_DAY = 86_400_000;
const JST_MS = 9 * 3_600_000;
/** 23:59:59 JST of a civil date, in epoch ms. */
function endOfJstDay(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d) * MS_PER_DAY + (24 * 3600 - 1) * 1000 - JST_MS;
}

/** Create a self-signed J-LIS root certificate. */
export function createJpkiRoot(o: JpkiRootOptions): JpkiRoot {
  const nb = typeof o.notBefore === "number" ? o.notBefore : o.notBefore.getTime();
  let na: number;
  if (o.notAfter !== undefined) na = typeof o.notAfter === "number" ? o.notAfter : o.notAfter.getTime();
  else {
    const c = civilFromDays(Math.floor((nb + JST_MS) / MS_PER_DAY));
    na = endOfJstDay(c[0]! + 10, c[1]!, c[2]!) - MS_PER_DAY;
  }
  const name = jlisRootName(o.kind);
  const keyId = keyIdentifier(o.signer.spki);
  const san = encodeName([
    ["C", "JP"],
    ["O", JPKI_SERVICE_NAME_JA],
    ["OU", ROOT_SAN_OU_JA[o.kind]],
    ["OU", JLIS_NAME_JA],
  ]);
  const extensions: Extension[] = [
    keyUsage([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
    subjectAltName([directoryName(san)]),
    basicConstraints(true),
    crlDistributionPoints([[directoryName(name)]]),
    subjectKeyIdentifier(keyId),
  ];
  if (o.authorityKeyId !== false) extensions.push(authorityKeyIdentifier(keyId));
  const der = buildCertificate(
    {
      serial: o.serial ?? randomSerial(4),
      issuer: name,
      subject: name,
      notBefore: nb,
      notAfter: na,
      spki: o.signer.spki,
      extensions,
    },
    o.signer,
  );
  return {
    kind: o.kind,
    generation: o.generation ?? 1,
    name,
    keyId,
    signer: o.signer,
    der,
    certificate: parseCertificate(der),
  };
}

/**
 * End of validity for a JPKI certificate issued at `issuedAt` to someone born `birthDate` (`YYYY-MM-DD`):
 * 23:59:59 JST on the `nth` birthday strictly after the issuance date (FACTS §1.4: 5th; §1.6: 10th for
 * the next-generation card). A 29 February birthday falls on 28 February in common years.
 */
export function birthdayExpiry(issuedAt: number, birthDate: string, nth = 5): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) throw new PkiError("E_PKI_INPUT", `birth date "${birthDate}" is not YYYY-MM-DD`);
  const bm = Number(m[2]);
  const bd = Number(m[3]);
  const c = civilFromDays(Math.floor((issuedAt + JST_MS) / MS_PER_DAY));
  const [iy, im, id] = [c[0]!, c[1]!, c[2]!];
  const firstYear = bm > im || (bm === im && bd > id) ? iy : iy + 1;
  const y = firstYear + nth - 1;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const day = bm === 2 && bd === 29 && !leap ? 28 : bd;
  return endOfJstDay(y, bm, day);
}

/** Era-prefixed date of birth `EYYYYMMDD` (1 Meiji, 2 Taishō, 3 Shōwa, 4 Heisei, 5 Reiwa; 0 unknown). */
export function eraDateOfBirth(birthDate: string): string {
  const digits = birthDate.replaceAll("-", "");
  if (!/^\d{8}$/.test(digits))
    throw new PkiError("E_PKI_INPUT", `birth date "${birthDate}" is not YYYY-MM-DD`);
  const era =
    digits >= "20190501"
      ? 5
      : digits >= "19890108"
        ? 4
        : digits >= "19261225"
          ? 3
          : digits >= "19120730"
            ? 2
            : digits >= "18681023"
              ? 1
              : 0;
  return `${era}${digits}`;
}

/** A random 23-character certificate-holder identifier in the CN style of real cards (`[0-9A-Z]{23}`). */
export function randomJpkiCn(): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  for (const b of randomBytes(23)) s += alphabet[b % 36];
  return s;
}

/** The holder's 4 basic facts (基本4情報) as printed in the signature certificate. */
export interface BasicFacts {
  /** Name, surname and given name separated by an ideographic space (U+3000), e.g. 山田, U+3000, 太郎. */
  readonly name: string;
  /** Date of birth `YYYY-MM-DD` (written era-prefixed, `EYYYYMMDD`). */
  readonly birthDate: string;
  /** 1 male, 2 female, 3 unknown (J-LIS coding). */
  readonly sex: 1 | 2 | 3;
  /** Address from the prefecture down, no postcode. */
  readonly address: string;
  /** Per-character substitute-glyph map of the name (`0`/`1`); default all `0`. */
  readonly nameSubstitute?: string;
  /** Per-character substitute-glyph map of the address; default all `0`. */
  readonly addressSubstitute?: string;
  /** Romanised prefecture for the subject DN locality, e.g. `Tokyo`. */
  readonly prefecture: string;
  /** Romanised municipality for the subject DN locality, e.g. `Kiyose-shi`. */
  readonly municipality: string;
}

/** Common options of the end-entity issuers. */
export interface EndEntityOptions {
  readonly issuer: JpkiIssuer;
  /** SubjectPublicKeyInfo DER of the card's key pair for this certificate. */
  readonly spki: Uint8Array;
  readonly issuedAt: number | Date;
  /** Holder's date of birth `YYYY-MM-DD` (drives the expiry). */
  readonly birthDate: string;
  readonly profile?: JpkiProfile;
  readonly serial?: Uint8Array;
  /** 23-char CN; random when omitted. */
  readonly commonName?: string;
  /** Upper bound on notAfter (card expiry, end of period of stay — FACTS §1.4). */
  readonly notAfterCap?: number;
  /** CRL partition label (e.g. from {@link partitionLabel}); omitted = the unpartitioned CRL. */
  readonly crlPartition?: string;
  /** Optional grouping OU of the partition DN (e.g. the prefecture when partitioning by municipality). */
  readonly crlPartitionGroup?: string;
}

function checkSpki(spki: Uint8Array, profile: JpkiProfile): void {
  const r = new DerReader(spki);
  const end = r.expect(0, spki.length, Tag.SEQUENCE, "SubjectPublicKeyInfo");
  const algEnd = r.expect(r.valueStart, end, Tag.SEQUENCE, "SubjectPublicKeyInfo.algorithm");
  const oEnd = r.expect(r.valueStart, algEnd, Tag.OID, "SubjectPublicKeyInfo.algorithm.algorithm");
  const { valueStart: os, valueEnd: oe } = r;
  if (profile === "current") {
    if (!oidEquals(spki, os, oe, OID.rsaEncryption))
      throw new PkiError("E_PKI_PROFILE", "the current JPKI profile certifies RSA-2048 keys (FACTS §1.1)");
    return;
  }
  const ok =
    oidEquals(spki, os, oe, OID.ecPublicKey) &&
    oEnd < algEnd &&
    (r.expect(oEnd, algEnd, Tag.OID, "namedCurve"), oidEquals(spki, r.valueStart, r.valueEnd, OID.secp384r1));
  if (!ok)
    throw new PkiError(
      "E_PKI_PROFILE",
      "the next-generation JPKI profile certifies ECDSA P-384 keys (FACTS §1.6)",
    );
}

function endEntity(o: EndEntityOptions, kind: JpkiCertKind, subject: Rdn[], extra: Extension[]): Uint8Array {
  if (o.issuer.kind !== kind)
    throw new PkiError("E_PKI_PROFILE", `a ${kind} certificate must be issued by the ${kind} root`);
  const profile = o.profile ?? "current";
  checkSpki(o.spki, profile);
  const issuedAt = typeof o.issuedAt === "number" ? o.issuedAt : o.issuedAt.getTime();
  let notAfter = birthdayExpiry(issuedAt, o.birthDate, profile === "nextGen" ? 10 : 5);
  if (o.notAfterCap !== undefined) notAfter = Math.min(notAfter, o.notAfterCap);
  const dp = crlPartitionName(kind, o.crlPartition, o.crlPartitionGroup);
  const extensions: Extension[] = [
    ...extra,
    issuerAltName([
      directoryName(
        encodeName([
          ["C", "JP"],
          ["O", JPKI_SERVICE_NAME_JA],
        ]),
      ),
    ]),
    crlDistributionPoints([[directoryName(dp)]]),
    authorityKeyIdentifier(o.issuer.keyId),
    subjectKeyIdentifier(keyIdentifier(o.spki)),
  ];
  return buildCertificate(
    {
      serial: o.serial ?? randomSerial(16),
      issuer: o.issuer.name,
      subject: encodeName(subject),
      notBefore: issuedAt,
      notAfter,
      spki: o.spki,
      extensions,
    },
    o.issuer.signer,
  );
}

/** Issue a signature certificate (署名用電子証明書) carrying the holder's 4 basic facts. Returns DER. */
export function issueSignatureCertificate(o: EndEntityOptions & { readonly facts: BasicFacts }): Uint8Array {
  const f = o.facts;
  const cn = o.commonName ?? randomJpkiCn();
  return endEntity(
    o,
    "sign",
    [
      ["C", "JP"],
      ["L", f.prefecture],
      ["L", f.municipality],
      ["CN", cn],
    ],
    [
      keyUsage([KeyUsage.digitalSignature, KeyUsage.nonRepudiation]),
      subjectAltName([
        otherNameUtf8(OID.jpkiName, f.name),
        otherNameUtf8(OID.jpkiDateOfBirth, eraDateOfBirth(f.birthDate)),
        otherNameUtf8(OID.jpkiSex, String(f.sex)),
        otherNameUtf8(OID.jpkiAddress, f.address),
        otherNameUtf8(OID.jpkiNameSubstitute, f.nameSubstitute ?? "0".repeat([...f.name].length)),
        otherNameUtf8(OID.jpkiAddressSubstitute, f.addressSubstitute ?? "0".repeat([...f.address].length)),
      ]),
      certificatePolicies([OID.jpkiPolicySign]),
    ],
  );
}

/** Issue an anonymous user-authentication certificate (利用者証明用電子証明書). Returns DER. */
export function issueAuthenticationCertificate(o: EndEntityOptions): Uint8Array {
  const cn = o.commonName ?? randomJpkiCn();
  return endEntity(
    o,
    "auth",
    [
      ["C", "JP"],
      ["CN", cn],
    ],
    [keyUsage([KeyUsage.digitalSignature]), certificatePolicies([OID.jpkiPolicyAuth])],
  );
}

/** The J-LIS otherName values of a signature certificate, keyed by attribute (undefined if absent). */
export interface JpkiSanValues {
  name?: string;
  nameSubstitute?: string;
  sex?: string;
  dateOfBirth?: string;
  address?: string;
  addressSubstitute?: string;
}

const SAN_KEYS: ReadonlyArray<readonly [string, keyof JpkiSanValues]> = [
  [OID.jpkiName, "name"],
  [OID.jpkiNameSubstitute, "nameSubstitute"],
  [OID.jpkiSex, "sex"],
  [OID.jpkiDateOfBirth, "dateOfBirth"],
  [OID.jpkiAddress, "address"],
  [OID.jpkiAddressSubstitute, "addressSubstitute"],
];

/**
 * Read the 4 basic facts back out of a signature certificate's subjectAltName otherNames. Each value
 * is at most `MAX_STRING_BYTES`; malformed otherNames throw `DerError`.
 */
export function readJpkiSan(cert: CertificateView): JpkiSanValues {
  const out: JpkiSanValues = {};
  for (const gn of cert.subjectAltNames) {
    if (gn[0] !== 0xa0) continue;
    const r = new DerReader(gn);
    const end = r.read(0, gn.length, "otherName");
    const oEnd = r.expect(r.valueStart, end, Tag.OID, "otherName.type-id");
    const oid = r.oid("otherName.type-id");
    const vEnd = r.expect(oEnd, end, 0xa0, "otherName.value");
    r.done(vEnd, end, "otherName");
    r.done(r.read(r.valueStart, vEnd, "otherName.value"), vEnd, "otherName.value");
    const key = SAN_KEYS.find(([o]) => o === oid)?.[1];
    if (key) out[key] = r.string("otherName.value");
  }
  return out;
}
