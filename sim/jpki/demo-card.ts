/**
 * A demo resident's My Number card, personalised the way the factory and the municipal counter do it
 * (DESIGN.md §2 item 2; FACTS.md §1.2–1.5): two J-LIS demo roots (signature and user authentication,
 * created with sim/pki `createJpkiRoot`), fresh RSA-2048 key pairs for the card, an authentication
 * certificate for everyone and a signature certificate carrying the 4 basic facts for holders aged 15
 * or more (FACTS.md §1.3), all put on a sim/card `MyNumberCard`, which is then unlocked at the
 * "counter" unless asked to stay issuance-locked. The root private keys stay in memory: a demo root
 * issues one card and is then forgotten.
 * @module
 */
import { randomInt } from "node:crypto";
import { InputError } from "../../engine/errors.js";
import { MyNumberCard } from "../card/index.js";
import type { CardPersonalisation } from "../card/index.js";
import {
  createJpkiRoot,
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  nodeSigner,
  partitionLabel,
  serialPartition,
} from "../pki/index.js";
import type { JpkiProfile, JpkiRoot } from "../pki/index.js";
import { generateKeyPairs, spkiOf } from "./keys.js";
import type { KeyProfile } from "./keys.js";
import { birthDateProblem } from "./resident.js";
import type { DemoResident } from "./resident.js";

/** The two J-LIS demo roots (FACTS.md §1.2: one per certificate type, no intermediates). */
export interface DemoRoots {
  /** 署名用 root. */
  readonly sign: JpkiRoot;
  /** 利用者証明用 root. */
  readonly auth: JpkiRoot;
}

const DAY_MS = 86_400_000;
const JST_MS = 9 * 3_600_000;

/** JPKI certificate profile for a key profile (FACTS.md §1.1 / §1.6). */
export function certProfileOf(profile: KeyProfile): JpkiProfile {
  return profile === "rsa2048" ? "current" : "nextGen";
}

/**
 * Create the signature and authentication demo roots, valid from one day before `issuedAt` for 10 years.
 * @param profile key type of the roots (RSA-2048 or ECDSA P-384)
 */
export async function createDemoRoots(profile: KeyProfile, issuedAt: number): Promise<DemoRoots> {
  const [s, a] = await generateKeyPairs(profile, 2);
  const notBefore = issuedAt - DAY_MS;
  return {
    sign: createJpkiRoot({ kind: "sign", signer: nodeSigner(s!.privateKey), notBefore }),
    auth: createJpkiRoot({ kind: "auth", signer: nodeSigner(a!.privateKey), notBefore }),
  };
}

/** Age in whole years on the JST calendar date of `at`, for a `YYYY-MM-DD` birth date. */
export function ageOn(birthDate: string, at: number): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const d = new Date(at + JST_MS);
  const y = d.getUTCFullYear();
  const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  return y - by - (md < bm * 100 + bd ? 1 : 0);
}

/** Signature certificates go to holders aged 15 or more (FACTS.md §1.3). */
export const SIGNATURE_CERT_MIN_AGE = 15;

/** PIN values of a card. */
export interface CardPins {
  readonly auth: string;
  readonly text: string;
  /** Only for a card with a signature certificate. */
  readonly sign?: string;
}

/**
 * Fresh random PINs from node:crypto: 4-digit auth and text PINs, an 8-character A–Z0–9 signature
 * password when `withSign` (FACTS.md §1.5 formats).
 */
export function generatePins(withSign: boolean): CardPins {
  const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join("");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const password = Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join("");
  return withSign
    ? { auth: digits(4), text: digits(4), sign: password }
    : { auth: digits(4), text: digits(4) };
}

/** Options of {@link issueDemoCard}. */
export interface DemoCardOptions {
  readonly resident: DemoResident;
  readonly pins: CardPins;
  /** Issuance instant (epoch ms): certificates start here and end on the 5th birthday after it. */
  readonly issuedAt: number;
  /** Roots to issue under; two new RSA-2048 demo roots when absent. */
  readonly roots?: DemoRoots;
  /** Leave the card issuance-locked (as shipped to the municipality) instead of handing it over. */
  readonly locked?: boolean;
  /** Certificate serials chosen by the CA (sim/jpki/ca-directory.ts); random when absent. */
  readonly serials?: { readonly auth: Uint8Array; readonly sign?: Uint8Array };
  /** When set, each certificate's CRL distribution point names its partition (serial mod N). */
  readonly crlPartitions?: number;
}

/** A personalised card and what was issued for it. */
export interface DemoCard {
  readonly card: MyNumberCard;
  readonly roots: DemoRoots;
  /** Authentication certificate DER (EF 000A). */
  readonly authCert: Uint8Array;
  /** Signature certificate DER (EF 0001), absent for a holder under 15. */
  readonly signCert?: Uint8Array;
}

/**
 * Personalise a card for `resident`: generate the card's key pairs, issue its certificates under the
 * demo roots and build the {@link MyNumberCard}.
 * @throws InputError (`E_JPKI_INPUT`) when the birth date is not a real calendar date between
 *   1900-01-01 and the issuance day, or a signature password is given for a holder under 15 or is
 *   missing for an older one — before any key is generated or anything signed; CardInputError when
 *   a PIN breaks its format
 */
export async function issueDemoCard(o: DemoCardOptions): Promise<DemoCard> {
  const r = o.resident;
  const dateProblem = birthDateProblem(r.birthDate, o.issuedAt);
  if (dateProblem)
    throw new InputError(`birth date ${JSON.stringify(r.birthDate)}: ${dateProblem}`, "E_JPKI_INPUT");
  const withSign = ageOn(r.birthDate, o.issuedAt) >= SIGNATURE_CERT_MIN_AGE;
  if (withSign && o.pins.sign === undefined)
    throw new InputError(
      "a holder aged 15 or more gets a signature certificate: a signature password is needed",
      "E_JPKI_INPUT",
    );
  if (!withSign && o.pins.sign !== undefined)
    throw new InputError(
      `the holder (born ${r.birthDate}) is under 15, gets no signature certificate and so no signature password (FACTS.md §1.3)`,
      "E_JPKI_INPUT",
    );
  const [roots, keys] = await Promise.all([
    o.roots ?? createDemoRoots("rsa2048", o.issuedAt),
    generateKeyPairs("rsa2048", withSign ? 2 : 1),
  ]);
  const authKey = keys[0]!;
  const placed = (serial: Uint8Array | undefined) =>
    serial === undefined
      ? {}
      : {
          serial,
          ...(o.crlPartitions
            ? { crlPartition: partitionLabel(serialPartition(serial, o.crlPartitions)) }
            : {}),
        };
  const authCert = issueAuthenticationCertificate({
    issuer: roots.auth,
    spki: spkiOf(authKey),
    issuedAt: o.issuedAt,
    birthDate: r.birthDate,
    ...placed(o.serials?.auth),
  });
  const signKey = withSign ? keys[1]! : undefined;
  const signCert =
    signKey &&
    issueSignatureCertificate({
      issuer: roots.sign,
      spki: spkiOf(signKey),
      issuedAt: o.issuedAt,
      birthDate: r.birthDate,
      ...placed(o.serials?.sign),
      facts: {
        name: r.name,
        address: r.address,
        birthDate: r.birthDate,
        sex: r.sex === "9" ? 3 : r.sex === "1" ? 1 : 2,
        prefecture: r.prefecture,
        municipality: r.municipality,
      },
    });
  const personalisation: CardPersonalisation = {
    myNumber: r.myNumber,
    basicFacts: { name: r.name, address: r.address, birthDate: r.birthDate.replaceAll("-", ""), sex: r.sex },
    pins: o.pins,
    hasSignatureCert: withSign,
    authKey: authKey.privateKey,
    authCert,
    authCaCert: roots.auth.der,
    signCaCert: roots.sign.der,
    ...(signKey && signCert ? { signKey: signKey.privateKey, signCert } : {}),
  };
  const card = new MyNumberCard(personalisation);
  if (!o.locked) card.unlockAtCounter();
  return { card, roots, authCert, ...(signCert ? { signCert } : {}) };
}
