/**
 * Personalisation of the **crypto sample** of cards (DESIGN.md §6): the factory step of the issuance
 * path done for real on a sample — key pairs (from the key cache or freshly generated on the pool),
 * the two J-LIS roots, an authentication and a signature certificate per card issued by them (sim/pki
 * profiles, CA signatures on the pool), and a proof-of-possession check per card key (sign a
 * challenge, verify it against the issued certificate's key).
 *
 * ```ts
 * const { cas, cards, stats } = await personaliseCards(1000, { threads: 2 });
 * const card = new MyNumberCard(sampleCardPersonalisation(cards[0], cas)); // locked, as shipped
 * ```
 *
 * Determinism: given the same keys (a warm key cache), `seed`, `issuedAt` and options, the CAs and
 * every certificate are byte-identical whatever the thread count — serials, CNs, holders and My
 * Numbers are derived from `seed` and the card index by SHA-256, never from `Math.random` or the
 * clock. `stats.caSignaturesPerSecond` is wall-clock and is not. With `cacheDir: null` keys are
 * fresh every call. Keys come in cache order: CA keys first (auth, sign), then per card (auth, sign).
 * @module
 */
import { createHash } from "node:crypto";
import type { CardPersonalisation } from "../card/card.js";
import type { BasicFacts as CardFacts } from "../card/text-records.js";
import type { BasicFacts, JpkiCertKind, JpkiProfile } from "../pki/index.js";
import { createJpkiRoot, nodeSigner, parseCertificate } from "../pki/index.js";
import type { KeyKind, KeyPairDer } from "./algorithms.js";
import { importPrivateKey } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import { myNumberCheckDigit } from "../numbers/my-number.js";
import { KeyCache, defaultKeyCacheDir } from "./key-cache.js";
import type { CaMaterial, CryptoPool } from "./pool.js";
import {
  generateKeyPairs,
  issueCertificates,
  signMessages,
  verifySignatures,
  withCryptoPool,
} from "./pool.js";
import type { IssueItem } from "./tasks.js";

/** A CA of the sample: its key pair and self-signed root certificate. */
export interface SampleCa extends CaMaterial {
  /** SubjectPublicKeyInfo DER of the CA key. */
  readonly spki: Uint8Array;
}

/** The two J-LIS roots of the sample. */
export interface SampleCas {
  readonly auth: SampleCa;
  readonly sign: SampleCa;
}

/** One personalised card of the sample: everything the factory writes, as DER. */
export interface SampleCard {
  /** Position in the sample, 0-based. */
  readonly index: number;
  /** 12-digit individual number with a valid check digit (synthetic). */
  readonly myNumber: string;
  /** The holder's 4 basic facts (synthetic, derived from seed and index). */
  readonly holder: BasicFacts;
  readonly authKey: KeyPairDer;
  readonly authCertificate: Uint8Array;
  /** Null for cards without a signature certificate. */
  readonly signKey: KeyPairDer | null;
  readonly signCertificate: Uint8Array | null;
}

/** What {@link personaliseCards} reports besides the cards. */
export interface PersonaliseStats {
  readonly keysGenerated: number;
  readonly keysFromCache: number;
  /** End-entity certificates issued. */
  readonly certificatesIssued: number;
  /** Every signature made: root self-signatures, certificates, and the per-key possession checks. */
  readonly signaturesMade: number;
  /** End-entity certificates per wall-clock second of the issuance step, all threads together. */
  readonly caSignaturesPerSecond: number;
  /** Corrupt key-cache batch files found and regenerated. */
  readonly corruptCacheBatches: number;
}

/** Options of {@link personaliseCards}. */
export interface PersonaliseOptions {
  /** Worker threads (default: every core), ignored when `pool` is given. */
  readonly threads?: number;
  /** A running pool to use (left running). */
  readonly pool?: CryptoPool;
  /** Key cache directory; default `<project>/.cache/keys`; null = no cache, fresh keys. */
  readonly cacheDir?: string | null;
  /** Seed of serials, CNs, holders and My Numbers. Default 1. */
  readonly seed?: number;
  /** Issuance time, epoch ms. Default 2016-01-01T00:00:00+09:00 (first cards). */
  readonly issuedAt?: number;
  /** `current` (RSA-2048, default) or `nextGen` (ECDSA P-384; such cards cannot become a `MyNumberCard`). */
  readonly profile?: JpkiProfile;
  /** Whether cards get a signature certificate (default true; false models holders under 15). */
  readonly withSignatureCertificate?: boolean;
  /** Reuse these roots instead of making new ones (their keys must fit `profile`). */
  readonly cas?: SampleCas;
  /** Sign and verify one challenge per card key (default true). */
  readonly checkKeys?: boolean;
}

/** What {@link personaliseCards} returns. */
export interface PersonalisedSample {
  readonly cas: SampleCas;
  readonly cards: SampleCard[];
  readonly stats: PersonaliseStats;
}

/** Default issuance time: 2016-01-01 00:00 JST, when the first cards were handed over. */
export const DEFAULT_ISSUED_AT = Date.UTC(2015, 11, 31, 15, 0, 0);

/** PINs of every sample card (the factory values; a hand-over may change them). */
export const SAMPLE_PINS = { auth: "1234", sign: "SAMPLE2016", text: "1234" } as const;

function digest(seed: number, label: string): Buffer {
  return createHash("sha256").update(`myna-twin/crypto-sample/${seed}/${label}`).digest();
}

/** A positive 16-octet serial derived from `seed` and `label`. */
function serialOf(seed: number, label: string): Uint8Array {
  const s = Uint8Array.from(digest(seed, `serial/${label}`).subarray(0, 16));
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

function cnOf(seed: number, label: string): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  for (const b of digest(seed, `cn/${label}`).subarray(0, 23)) s += alphabet[b % 36];
  return s;
}

const SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"];
const GIVEN = ["太郎", "花子", "翔太", "陽菜", "蓮", "結衣", "大翔", "美咲"];
const PLACES: readonly (readonly [string, string, string])[] = [
  ["Tokyo", "Chiyoda-ku", "東京都千代田区霞が関２丁目１番２号"],
  ["Osaka", "Osaka-shi", "大阪府大阪市北区中之島１丁目３番２０号"],
  ["Hokkaido", "Sapporo-shi", "北海道札幌市中央区北一条西２丁目"],
  ["Fukuoka", "Fukuoka-shi", "福岡県福岡市中央区天神１丁目８番１号"],
];

/** The synthetic holder and My Number of card `index`. */
function holderOf(seed: number, index: number): { holder: BasicFacts; myNumber: string } {
  const h = digest(seed, `holder/${index}`);
  const year = 1940 + (h[0]! % 66);
  const month = 1 + (h[1]! % 12);
  const day = 1 + (h[2]! % 28);
  const place = PLACES[h[5]! % PLACES.length]!;
  const holder: BasicFacts = {
    name: `${SURNAMES[h[3]! % SURNAMES.length]}\u3000${GIVEN[h[4]! % GIVEN.length]}`,
    birthDate: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    sex: h[6]! % 2 === 0 ? 1 : 2,
    address: place[2],
    prefecture: place[0],
    municipality: place[1],
  };
  let first11 = "";
  for (let i = 0; i < 11; i++) first11 += String(h[8 + i]! % 10);
  if (first11[0] === "0") first11 = `1${first11.slice(1)}`;
  return { holder, myNumber: `${first11}${myNumberCheckDigit(first11)}` };
}

/** The holder's facts as the 券面事項入力補助AP stores them (`YYYYMMDD`, sex `1`/`2`/`9`). */
export function cardFacts(holder: BasicFacts): CardFacts {
  return {
    name: holder.name,
    address: holder.address,
    birthDate: holder.birthDate.replaceAll("-", ""),
    sex: holder.sex === 3 ? "9" : holder.sex === 1 ? "1" : "2",
  };
}

/**
 * The `MyNumberCard` personalisation record of a sample card (current profile only: the simulated
 * card holds RSA keys). Pass it to `new MyNumberCard(…)`; the card starts issuance-locked.
 * @throws CryptoTaskError for a next-generation (P-384) card
 */
export function sampleCardPersonalisation(
  card: SampleCard,
  cas: SampleCas,
  pins: { readonly auth: string; readonly text: string; readonly sign?: string } = SAMPLE_PINS,
): CardPersonalisation {
  const authKey = importPrivateKey(card.authKey.pkcs8);
  if (authKey.asymmetricKeyType !== "rsa")
    throw new CryptoTaskError("only current-profile (RSA-2048) sample cards can become a MyNumberCard");
  const withSign = card.signKey !== null && card.signCertificate !== null;
  return {
    myNumber: card.myNumber,
    basicFacts: cardFacts(card.holder),
    pins: { auth: pins.auth, text: pins.text, sign: withSign ? (pins.sign ?? SAMPLE_PINS.sign) : undefined },
    hasSignatureCert: withSign,
    authKey,
    authCert: card.authCertificate,
    authCaCert: cas.auth.certificate,
    signKey: withSign ? importPrivateKey(card.signKey!.pkcs8) : undefined,
    signCert: withSign ? card.signCertificate! : undefined,
    signCaCert: cas.sign.certificate,
    tokenSerial: card.myNumber.slice(-8),
  };
}

/** Make a J-LIS root of `kind` over `key`, valid from a year before `issuedAt`, with a serial from `seed`. */
function makeRoot(kind: JpkiCertKind, key: KeyPairDer, seed: number, issuedAt: number): SampleCa {
  const root = createJpkiRoot({
    kind,
    signer: nodeSigner(importPrivateKey(key.pkcs8)),
    notBefore: issuedAt - 365 * 86_400_000,
    serial: serialOf(seed, `root/${kind}`).subarray(0, 4),
  });
  return { key: key.pkcs8, spki: key.spki, certificate: root.der };
}

/**
 * Personalise `count` cards of the crypto sample (see the module doc).
 * @throws KeyCacheError when the key cache is unusable; CryptoTaskError / PkiError on bad options
 */
export async function personaliseCards(
  count: number,
  options: PersonaliseOptions = {},
): Promise<PersonalisedSample> {
  if (!Number.isInteger(count) || count < 0)
    throw new CryptoTaskError(`personaliseCards: count must be a whole number ≥ 0, got ${count}`);
  const seed = options.seed ?? 1;
  const issuedAt = options.issuedAt ?? DEFAULT_ISSUED_AT;
  const profile = options.profile ?? "current";
  const withSign = options.withSignatureCertificate ?? true;
  const kind: KeyKind = profile === "current" ? "rsa2048" : "p384";
  const perCard = withSign ? 2 : 1;
  const caKeys = options.cas ? 0 : 2;
  const needed = caKeys + perCard * count;

  return withCryptoPool(options, async (pool) => {
    let keys: KeyPairDer[];
    let keysGenerated: number;
    let keysFromCache = 0;
    let corruptCacheBatches = 0;
    if (options.cacheDir === null) {
      keys = await generateKeyPairs(pool, kind, needed);
      keysGenerated = needed;
    } else {
      const taken = await new KeyCache(options.cacheDir ?? defaultKeyCacheDir()).take(kind, needed, { pool });
      keys = taken.keys;
      keysGenerated = taken.generated;
      keysFromCache = taken.fromCache;
      corruptCacheBatches = taken.corruptBatches;
    }
    const cas: SampleCas = options.cas ?? {
      auth: makeRoot("auth", keys[0]!, seed, issuedAt),
      sign: makeRoot("sign", keys[1]!, seed, issuedAt),
    };
    const authKeys = Array.from({ length: count }, (_, i) => keys[caKeys + perCard * i]!);
    const signKeys = withSign ? Array.from({ length: count }, (_, i) => keys[caKeys + 2 * i + 1]!) : [];
    const holders = Array.from({ length: count }, (_, i) => holderOf(seed, i));
    const item = (i: number, certKind: JpkiCertKind, key: KeyPairDer): IssueItem => ({
      spki: key.spki,
      serial: serialOf(seed, `${certKind}/${i}`),
      commonName: cnOf(seed, `${certKind}/${i}`),
      issuedAt,
      birthDate: holders[i]!.holder.birthDate,
      facts: certKind === "sign" ? holders[i]!.holder : null,
      crlPartition: null,
    });

    const t0 = performance.now();
    const [authCerts, signCerts] = await Promise.all([
      issueCertificates(
        pool,
        cas.auth,
        "auth",
        authKeys.map((k, i) => item(i, "auth", k)),
        { profile },
      ),
      withSign
        ? issueCertificates(
            pool,
            cas.sign,
            "sign",
            signKeys.map((k, i) => item(i, "sign", k)),
            { profile },
          )
        : Promise.resolve([] as Uint8Array[]),
    ]);
    const seconds = (performance.now() - t0) / 1000;
    const certificatesIssued = authCerts.length + signCerts.length;

    let checks = 0;
    if ((options.checkKeys ?? true) && count > 0) {
      const allKeys = [...authKeys, ...signKeys];
      const certs = [...authCerts, ...signCerts];
      const challenges = allKeys.map((_, i) => digest(seed, `possession/${i}`));
      const index = allKeys.map((_, i) => i);
      const sigs = await signMessages(
        pool,
        kind,
        allKeys.map((k) => k.pkcs8),
        challenges,
        index,
      );
      const spkis = certs.map((c) => parseCertificate(c).spki);
      const ok = await verifySignatures(pool, kind, spkis, challenges, sigs, index);
      const bad = ok.indexOf(false);
      if (bad >= 0)
        throw new CryptoTaskError(
          `personaliseCards: key ${bad} does not match its certificate (possession check)`,
        );
      checks = allKeys.length;
    }

    const cards: SampleCard[] = holders.map(({ holder, myNumber }, i) => ({
      index: i,
      myNumber,
      holder,
      authKey: authKeys[i]!,
      authCertificate: authCerts[i]!,
      signKey: withSign ? signKeys[i]! : null,
      signCertificate: withSign ? signCerts[i]! : null,
    }));
    return {
      cas,
      cards,
      stats: {
        keysGenerated,
        keysFromCache,
        certificatesIssued,
        signaturesMade: (options.cas ? 0 : 2) + certificatesIssued + checks,
        caSignaturesPerSecond: seconds > 0 ? certificatesIssued / seconds : 0,
        corruptCacheBatches,
      },
    };
  });
}
