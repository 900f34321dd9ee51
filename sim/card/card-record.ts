/**
 * The plaintext record of a saved card (the payload {@link seal} encrypts): personalisation data,
 * PIN values, PIN counters, the issuance lock and the private keys as PKCS#8 DER. It only ever
 * exists inside `MyNumberCard.seal` and `loadCard`; on disk it is always encrypted (card-store.ts).
 *
 * Version 2 adds `generation`: a counter raised by one on every write of the card file, so an old
 * copy of the file can be told from the current one (card-file.ts, rollback refusal). Version 1
 * files are still read, as generation 0.
 * @module
 */
import { CardFileError } from "./errors.js";
import type { CardFaceData } from "./card-face.js";
import { CODE_KINDS } from "./pin.js";
import type { CodeKind, PinKind } from "./pin.js";
import type { BasicFacts } from "./text-records.js";

/** Version of the record layout. */
export const CARD_RECORD_VERSION = 2;

/** The plaintext record. Byte fields are base64 in the JSON. */
export interface CardRecord {
  /** Record layout version. */
  readonly recordVersion: number;
  /** Write generation of the card file (0 for a card never written through card-file.ts). */
  readonly generation: number;
  /** 12-digit individual number. */
  readonly myNumber: string;
  /** 4 basic facts. */
  readonly basicFacts: BasicFacts;
  /** Whether the card carries a signature certificate. */
  readonly hasSignatureCert: boolean;
  /** Token serial number in EF 0006. */
  readonly tokenSerial: string;
  /** Current PIN values. */
  readonly pins: Readonly<Partial<Record<PinKind, string>>>;
  /** Tries left per PIN. */
  readonly triesLeft: Readonly<Partial<Record<PinKind, number>>>;
  /** Tries left per card-face key (absent in files written before the 券面事項確認AP: all full). */
  readonly codeTriesLeft?: Readonly<Partial<Record<CodeKind, number>>>;
  /** Card-face data of the 券面 APs (absent in older files: the card's default). */
  readonly cardFace?: CardFaceData;
  /** Issuance lock. */
  readonly locked: boolean;
  /** Auth private key, PKCS#8 DER. */
  readonly authKey: Uint8Array;
  /** Signature private key, PKCS#8 DER. */
  readonly signKey?: Uint8Array;
  /** Auth certificate DER. */
  readonly authCert: Uint8Array;
  /** Auth CA certificate DER. */
  readonly authCaCert: Uint8Array;
  /** Signature certificate DER. */
  readonly signCert?: Uint8Array;
  /** Signature CA certificate DER. */
  readonly signCaCert?: Uint8Array;
}

const BYTE_FIELDS = ["authKey", "signKey", "authCert", "authCaCert", "signCert", "signCaCert"] as const;

/** Serialise a record to UTF-8 JSON bytes. */
export function encodeCardRecord(record: CardRecord): Uint8Array {
  const json: Record<string, unknown> = { ...record };
  for (const f of BYTE_FIELDS) {
    const v = record[f];
    json[f] = v === undefined ? undefined : Buffer.from(v).toString("base64");
  }
  return new TextEncoder().encode(JSON.stringify(json));
}

function fail(what: string): never {
  throw new CardFileError(`card file payload: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== "string") fail(`${k} must be a string`);
  return v;
}

function bytes(o: Record<string, unknown>, k: string, optional: boolean): Uint8Array | undefined {
  const v = o[k];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) fail(`${k} must be base64`);
  return new Uint8Array(Buffer.from(v, "base64"));
}

function pinMap<T>(v: unknown, k: string, check: (x: unknown) => x is T): Partial<Record<PinKind, T>> {
  if (!isObject(v)) fail(`${k} must be an object`);
  const out: Partial<Record<PinKind, T>> = {};
  for (const kind of ["auth", "sign", "text"] as const) {
    const x = v[kind];
    if (x === undefined) continue;
    if (!check(x)) fail(`${k}.${kind} has the wrong type`);
    out[kind] = x;
  }
  return out;
}

/**
 * Parse record bytes (after decryption). Field *values* (PIN formats, key/certificate match) are
 * checked again when the card is rebuilt from the record.
 * @throws CardFileError when the bytes are not a record of the supported version
 */
export function decodeCardRecord(data: Uint8Array): CardRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
  } catch (cause) {
    throw new CardFileError("card file payload: not UTF-8 JSON", { cause });
  }
  if (!isObject(parsed)) fail("not an object");
  if (parsed.recordVersion !== 1 && parsed.recordVersion !== CARD_RECORD_VERSION)
    fail(`unsupported record version ${String(parsed.recordVersion)}`);
  const generation = parsed.recordVersion === 1 ? 0 : parsed.generation;
  if (!Number.isSafeInteger(generation) || (generation as number) < 0)
    fail("generation must be a whole number ≥ 0");
  const facts = parsed.basicFacts;
  if (!isObject(facts)) fail("basicFacts must be an object");
  const sex = str(facts, "sex");
  if (sex !== "1" && sex !== "2" && sex !== "9") fail(`basicFacts.sex must be 1, 2 or 9`);
  if (typeof parsed.hasSignatureCert !== "boolean" || typeof parsed.locked !== "boolean") {
    fail("hasSignatureCert and locked must be booleans");
  }
  let codeTriesLeft: Partial<Record<CodeKind, number>> | undefined;
  if (parsed.codeTriesLeft !== undefined) {
    const v = parsed.codeTriesLeft;
    if (!isObject(v)) fail("codeTriesLeft must be an object");
    codeTriesLeft = {};
    for (const kind of CODE_KINDS) {
      const x = v[kind];
      if (x === undefined) continue;
      if (!Number.isInteger(x)) fail(`codeTriesLeft.${kind} must be a whole number`);
      codeTriesLeft[kind] = x as number;
    }
  }
  let cardFace: CardFaceData | undefined;
  if (parsed.cardFace !== undefined) {
    const v = parsed.cardFace;
    if (!isObject(v)) fail("cardFace must be an object");
    const m = v.municipalityCode;
    if (m !== undefined && typeof m !== "string") fail("cardFace.municipalityCode must be a string");
    cardFace = { expiry: str(v, "expiry"), securityCode: str(v, "securityCode"), municipalityCode: m };
  }
  const record: CardRecord = {
    recordVersion: CARD_RECORD_VERSION,
    generation: generation as number,
    myNumber: str(parsed, "myNumber"),
    basicFacts: {
      name: str(facts, "name"),
      address: str(facts, "address"),
      birthDate: str(facts, "birthDate"),
      sex,
    },
    hasSignatureCert: parsed.hasSignatureCert,
    tokenSerial: str(parsed, "tokenSerial"),
    pins: pinMap(parsed.pins, "pins", (x): x is string => typeof x === "string"),
    triesLeft: pinMap(parsed.triesLeft, "triesLeft", (x): x is number => Number.isInteger(x)),
    codeTriesLeft,
    cardFace,
    locked: parsed.locked,
    authKey: bytes(parsed, "authKey", false) as Uint8Array,
    signKey: bytes(parsed, "signKey", true),
    authCert: bytes(parsed, "authCert", false) as Uint8Array,
    authCaCert: bytes(parsed, "authCaCert", false) as Uint8Array,
    signCert: bytes(parsed, "signCert", true),
    signCaCert: bytes(parsed, "signCaCert", true),
  };
  return record;
}
