/**
 * Strategy (d), the online validity service: one signed answer per status query, written as an RFC 6960
 * OCSPResponse (BasicOCSPResponse, responder by key hash, one SingleResponse per queried certificate,
 * CertID with SHA-1 as RFC 6960 §4.1.1 / RFC 5019 require). FACTS §3.1: J-LIS runs such a responder
 * for platform operators (PocketSign Verify: "for same-day revocation status use OCSP"). The responder
 * signs with the CA's own key (RFC 6960 §2.2: the CA may sign directly), so `openssl ocsp -issuer ROOT
 * -VAfile ROOT` verifies it.
 * @module
 */
import { createHash } from "node:crypto";
import { DerWriter, Tag, contextTag } from "../pki/der-writer.js";
import { appendSignature } from "../pki/certificate-builder.js";
import type { JpkiIssuer } from "../pki/jpki-profiles.js";
import { DerReader } from "../pki/der-reader.js";

const OID_SHA1 = "1.3.14.3.2.26";
const OID_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1";

/** One queried certificate's status. */
export type CertStatus =
  | { readonly status: "good" }
  | { readonly status: "revoked"; readonly revokedAt: number; readonly reason?: number };

/** GeneralizedTime `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2: no fractions). */
function writeGeneralizedTime(w: DerWriter, ms: number): void {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const s = d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  w.primitive(Tag.GENERALIZED_TIME, new TextEncoder().encode(`${s}Z`));
}

/** The subjectPublicKey BIT STRING content (without the unused-bits octet) of an SPKI. */
function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  const r = new DerReader(spki);
  r.expect(0, spki.length, Tag.SEQUENCE, "SubjectPublicKeyInfo");
  const end = r.valueEnd;
  const next = r.read(r.valueStart, end, "SubjectPublicKeyInfo.algorithm");
  r.expect(next, end, Tag.BIT_STRING, "SubjectPublicKeyInfo.subjectPublicKey");
  return spki.subarray(r.bitStringOctets("SubjectPublicKeyInfo.subjectPublicKey"), r.valueEnd);
}

function sha1(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(b).digest());
}

/** The CertID hashes of an issuer: SHA-1 of its Name DER and of its public key bits. */
export function issuerHashes(issuer: JpkiIssuer): { nameHash: Uint8Array; keyHash: Uint8Array } {
  return { nameHash: sha1(issuer.name), keyHash: sha1(subjectPublicKeyBits(issuer.signer.spki)) };
}

/** Build and sign one OCSPResponse (successful, basic) answering for `serial`. */
export function buildStatusResponse(
  issuer: JpkiIssuer,
  serial: Uint8Array,
  status: CertStatus,
  producedAt: number,
  nextUpdate: number,
): Uint8Array {
  const { nameHash, keyHash } = issuerHashes(issuer);
  const basic = new DerWriter(1024);
  basic.begin(Tag.SEQUENCE);
  const tbsStart = basic.pos;
  basic.begin(Tag.SEQUENCE); // ResponseData
  basic.begin(contextTag(2, true)); // responderID byKey
  basic.octetString(keyHash);
  basic.end();
  writeGeneralizedTime(basic, producedAt);
  basic.begin(Tag.SEQUENCE); // responses
  basic.begin(Tag.SEQUENCE); // SingleResponse
  basic.begin(Tag.SEQUENCE); // CertID
  basic.begin(Tag.SEQUENCE);
  basic.oid(OID_SHA1);
  basic.null();
  basic.end();
  basic.octetString(nameHash);
  basic.octetString(keyHash);
  basic.unsigned(serial);
  basic.end();
  if (status.status === "good") basic.primitive(contextTag(0, false), new Uint8Array(0));
  else {
    basic.begin(contextTag(1, true)); // RevokedInfo, IMPLICIT
    writeGeneralizedTime(basic, status.revokedAt);
    // RFC 5280 §5.3.1 applies here too: no `unspecified` reason.
    if (status.reason !== undefined && status.reason !== 0) {
      basic.begin(contextTag(0, true));
      basic.primitive(Tag.ENUMERATED, Uint8Array.of(status.reason));
      basic.end();
    }
    basic.end();
  }
  writeGeneralizedTime(basic, producedAt); // thisUpdate
  basic.begin(contextTag(0, true));
  writeGeneralizedTime(basic, nextUpdate);
  basic.end();
  basic.end(); // SingleResponse
  basic.end(); // responses
  basic.end(); // ResponseData
  appendSignature(basic, tbsStart, issuer.signer);
  const basicDer = basic.finishCopy();

  const w = new DerWriter(basicDer.length + 64);
  w.begin(Tag.SEQUENCE);
  w.primitive(Tag.ENUMERATED, Uint8Array.of(0)); // successful
  w.begin(contextTag(0, true));
  w.begin(Tag.SEQUENCE);
  w.oid(OID_OCSP_BASIC);
  w.octetString(basicDer);
  w.end();
  w.end();
  w.end();
  return w.finishCopy();
}
