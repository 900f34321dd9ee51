/**
 * A full JPKI user authentication, end to end (FACTS.md §2.6): the terminal talks APDUs to a
 * {@link MyNumberCard} — SELECT the JPKI AP, SELECT and READ BINARY the authentication certificate
 * (EF 000A), SELECT the auth PIN (EF 0018) and VERIFY it, SELECT the auth key (EF 0017) and COMPUTE
 * DIGITAL SIGNATURE over the DigestInfo of the relying party's challenge — then the relying party
 * checks the certificate against the J-LIS authentication root, the signature against the
 * certificate's key, the validity period, and revocation in an indexed CRL (sim/pki `parseCrl`).
 *
 * {@link runAuthenticationBatch} runs many authentications against one card as a pool task (the
 * `authenticate` op of tasks.ts); the CRL is loaded from a file once per worker thread and kept.
 * @module
 */
import type { KeyObject } from "node:crypto";
import { createHash, verify } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { MyNumberCard } from "../card/card.js";
import { parseResponse } from "../card/apdu.js";
import {
  computeSignatureCommand,
  readBinaryCommand,
  selectAidCommand,
  selectEfCommand,
  verifyCommand,
} from "../card/commands.js";
import { digestInfoFor } from "../card/digest-info.js";
import { JPKI_AID, JPKI_EF } from "../card/ids.js";
import { SW } from "../card/status-words.js";
import type { CertificateView, ParsedCrl } from "../pki/index.js";
import {
  CrlReason,
  RevokedEntriesBuilder,
  buildCrl,
  bytesEqual,
  nodeSigner,
  parseCertificate,
  parseCrl,
} from "../pki/index.js";
import { importPrivateKey, importPublicKey } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import type { SampleCa, SampleCard, SampleCas } from "./personalise.js";
import { DEFAULT_ISSUED_AT, sampleCardPersonalisation } from "./personalise.js";

/** Why an authentication failed; `ok` when it did not. */
export type AuthOutcome = "ok" | "card" | "certificate" | "expired" | "signature" | "revoked";

/** Outcome codes as stored in {@link AuthenticateResult.outcomes}. */
export const AUTH_OUTCOMES: readonly AuthOutcome[] = [
  "ok",
  "card",
  "certificate",
  "expired",
  "signature",
  "revoked",
];

/** What the card side of an authentication returned. */
export interface CardAnswer {
  /** Last status word (9000 on success). */
  readonly sw: number;
  /** The authentication certificate read from EF 000A (empty on failure). */
  readonly certificate: Uint8Array;
  /** RSA signature over the DigestInfo of the challenge (empty on failure). */
  readonly signature: Uint8Array;
  /** APDUs exchanged. */
  readonly apdus: number;
}

/**
 * The terminal's side: the APDU exchange of FACTS §2.6 on an unlocked card (or anything that
 * answers APDUs like one, e.g. a card file's durable session). Never throws; a status word other than
 * 9000 stops the exchange and is returned.
 */
export function cardAuthenticate(
  card: Pick<MyNumberCard, "reset" | "transmit">,
  pin: string,
  challenge: Uint8Array,
): CardAnswer {
  let apdus = 0;
  const send = (cmd: Uint8Array) => {
    apdus++;
    return parseResponse(card.transmit(cmd));
  };
  const fail = (sw: number): CardAnswer => ({
    sw,
    certificate: new Uint8Array(0),
    signature: new Uint8Array(0),
    apdus,
  });
  card.reset();
  let r = send(selectAidCommand(JPKI_AID));
  if (r.sw !== SW.OK) return fail(r.sw);
  r = send(selectEfCommand(JPKI_EF.AUTH_CERT));
  if (r.sw !== SW.OK) return fail(r.sw);
  // 4-byte header (30 82 LL LL), then 256-byte chunks, as real middleware reads it.
  const head = send(readBinaryCommand(0, 4));
  if (head.sw !== SW.OK || head.data.length !== 4 || head.data[0] !== 0x30 || head.data[1] !== 0x82)
    return fail(head.sw === SW.OK ? SW.NO_DIAGNOSIS : head.sw);
  const total = ((head.data[2]! << 8) | head.data[3]!) + 4;
  const certificate = new Uint8Array(total);
  certificate.set(head.data, 0);
  for (let off = 4; off < total;) {
    const c = send(readBinaryCommand(off, Math.min(256, total - off)));
    if (c.sw !== SW.OK || c.data.length === 0) return fail(c.sw === SW.OK ? SW.NO_DIAGNOSIS : c.sw);
    certificate.set(c.data, off);
    off += c.data.length;
  }
  r = send(selectEfCommand(JPKI_EF.AUTH_PIN));
  if (r.sw !== SW.OK) return fail(r.sw);
  r = send(verifyCommand(pin));
  if (r.sw !== SW.OK) return fail(r.sw);
  r = send(selectEfCommand(JPKI_EF.AUTH_KEY));
  if (r.sw !== SW.OK) return fail(r.sw);
  r = send(computeSignatureCommand(digestInfoFor("sha256", challenge)));
  if (r.sw !== SW.OK) return fail(r.sw);
  return { sw: r.sw, certificate, signature: r.data, apdus };
}

/** The relying party's trust material: the authentication root and, optionally, its CRL. */
export class RelyingParty {
  /** The J-LIS authentication root certificate. */
  readonly root: CertificateView;
  /** The CRL to check, or null for no revocation check. */
  readonly crl: ParsedCrl | null;
  readonly #rootKey: KeyObject;

  /**
   * @param rootCertificate DER of the authentication root
   * @param crl a CRL issued by the root (its signature is checked here), or null
   * @throws PkiError / DerError when the root or the CRL is malformed or the CRL's signature is bad
   */
  constructor(rootCertificate: Uint8Array, crl: Uint8Array | ParsedCrl | null = null) {
    this.root = parseCertificate(rootCertificate);
    this.#rootKey = importPublicKey(this.root.spki);
    this.crl =
      crl === null ? null : crl instanceof Uint8Array ? parseCrl(crl, { issuerSpki: this.root.spki }) : crl;
  }

  /** Check a card's answer to `challenge` at time `at` (epoch ms). */
  check(certificate: Uint8Array, challenge: Uint8Array, signature: Uint8Array, at: number): AuthOutcome {
    let cert: CertificateView;
    try {
      cert = parseCertificate(certificate);
    } catch {
      return "certificate";
    }
    if (cert.signatureAlgorithm !== "sha256WithRSAEncryption" || !bytesEqual(cert.issuer, this.root.subject))
      return "certificate";
    if (!safeVerify(cert.tbs, this.#rootKey, cert.signature)) return "certificate";
    if (at < cert.notBefore || at > cert.notAfter) return "expired";
    let key: KeyObject;
    try {
      key = importPublicKey(cert.spki);
    } catch {
      return "certificate";
    }
    if (!safeVerify(challenge, key, signature)) return "signature";
    if (this.crl?.entries.has(cert.serial)) return "revoked";
    return "ok";
  }
}

function safeVerify(data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify("sha256", data, key, signature);
  } catch {
    return false;
  }
}

/** Card exchange plus relying-party check. */
export function authenticate(
  card: MyNumberCard,
  pin: string,
  challenge: Uint8Array,
  rp: RelyingParty,
  at: number,
): AuthOutcome {
  const answer = cardAuthenticate(card, pin, challenge);
  if (answer.sw !== SW.OK) return "card";
  return rp.check(answer.certificate, challenge, answer.signature, at);
}

/** Many authentications of one sample card against one relying party, as a pool task. */
export interface AuthenticateTask {
  readonly op: "authenticate";
  readonly card: SampleCard;
  readonly cas: SampleCas;
  /** The auth PIN to present (the card is handed over with the sample PINs of personalise.ts). */
  readonly pin: string;
  /** A DER CRL file issued by the auth root, loaded once per thread; or null. */
  readonly crlPath: string | null;
  /** Time of the checks, epoch ms. */
  readonly at: number;
  readonly challenges: readonly Uint8Array[];
}

/** Result of an {@link AuthenticateTask}: one code per challenge, an index into {@link AUTH_OUTCOMES}. */
export interface AuthenticateResult {
  readonly outcomes: Uint8Array;
  readonly apdus: number;
}

const crlCache = new Map<string, { key: string; crl: ParsedCrl }>();

/**
 * The CRL at `path`, parsed, signature-checked against `issuerSpki` and kept per thread while the
 * file's size and mtime (and the issuer) stay the same.
 */
function loadCrl(path: string, issuerSpki: Uint8Array): ParsedCrl {
  const st = statSync(path);
  const key = `${st.size}:${st.mtimeMs}:${Buffer.from(issuerSpki).toString("base64")}`;
  const hit = crlCache.get(path);
  if (hit && hit.key === key) return hit.crl;
  const crl = parseCrl(new Uint8Array(readFileSync(path)), { issuerSpki });
  if (crlCache.size >= 4) crlCache.clear();
  crlCache.set(path, { key, crl });
  return crl;
}

/** Runs an {@link AuthenticateTask}. */
export function runAuthenticationBatch(t: AuthenticateTask): AuthenticateResult {
  if (!t.card || !t.cas) throw new CryptoTaskError("authenticate: the task needs a card and its CAs");
  const card = new MyNumberCard(sampleCardPersonalisation(t.card, t.cas));
  card.unlockAtCounter();
  const rootSpki = parseCertificate(t.cas.auth.certificate).spki;
  const crl = t.crlPath === null ? null : loadCrl(t.crlPath, rootSpki);
  const rp = new RelyingParty(t.cas.auth.certificate, crl);
  const outcomes = new Uint8Array(t.challenges.length);
  let apdus = 0;
  for (let i = 0; i < t.challenges.length; i++) {
    const challenge = t.challenges[i]!;
    const answer = cardAuthenticate(card, t.pin, challenge);
    apdus += answer.apdus;
    const o = answer.sw !== SW.OK ? "card" : rp.check(answer.certificate, challenge, answer.signature, t.at);
    outcomes[i] = AUTH_OUTCOMES.indexOf(o);
  }
  return { outcomes, apdus };
}

/** Options of {@link buildSampleCrl}. */
export interface SampleCrlOptions {
  /** Serials to list (e.g. sample cards to revoke). */
  readonly revoked?: readonly Uint8Array[];
  /** Further random-looking 16-octet serials to list, derived from `seed` (CRL size at scale). */
  readonly filler?: number;
  readonly seed?: number;
  /** thisUpdate, epoch ms (nextUpdate is a day later). Default {@link DEFAULT_ISSUED_AT} + 1 year. */
  readonly thisUpdate?: number;
  readonly crlNumber?: number;
}

/**
 * A full CRL signed by the sample's authentication root (sim/pki `buildCrl`), reason keyCompromise.
 * Filler serials are SHA-256-derived from `seed`, so the same options give the same CRL.
 */
export function buildSampleCrl(ca: SampleCa, options: SampleCrlOptions = {}): Uint8Array {
  const root = parseCertificate(ca.certificate);
  if (!root.subjectKeyId)
    throw new CryptoTaskError("buildSampleCrl: the CA certificate has no subjectKeyIdentifier");
  const thisUpdate = options.thisUpdate ?? DEFAULT_ISSUED_AT + 365 * 86_400_000;
  const revoked = options.revoked ?? [];
  const filler = options.filler ?? 0;
  const b = new RevokedEntriesBuilder(16, revoked.length + filler + 1);
  for (const s of revoked) b.add(s, thisUpdate - 86_400_000, CrlReason.keyCompromise);
  const seed = options.seed ?? 1;
  for (let i = 0; i < filler; i++) {
    const s = createHash("sha256").update(`myna-twin/crl-filler/${seed}/${i}`).digest().subarray(0, 16);
    s[0] = (s[0]! & 0x7f) | 0x01;
    b.add(s, thisUpdate - 86_400_000 * (1 + (i % 365)), CrlReason.keyCompromise);
  }
  return buildCrl(
    {
      issuer: root.subject,
      authorityKeyId: root.subjectKeyId,
      thisUpdate,
      nextUpdate: thisUpdate + 86_400_000,
      crlNumber: options.crlNumber ?? 1,
      entries: b.build(),
    },
    nodeSigner(importPrivateKey(ca.key)),
  );
}
