/**
 * `MyNumberCard`: a simulated My Number IC card that answers raw APDU bytes like the real one —
 * the JPKI AP, the 券面事項入力補助AP and the 券面事項確認AP (FACTS.md §2), PIN and card-face key
 * (照合番号A/B, birth-date key) counters with lockout (§1.5), the
 * issuance lock and the counter procedures of the issuance path (DESIGN.md §2 item 2), keys that
 * never leave the object (DESIGN.md §5 card/).
 *
 * Command routing (ISO/IEC 7816-4 §5.4.1 class byte):
 * - CLA `00`: SELECT `A4`, READ BINARY `B0`, VERIFY `20`, CHANGE REFERENCE DATA `24`; other INS → 6D00;
 * - CLA `80`: COMPUTE DIGITAL SIGNATURE `2A`; other INS → 6D00;
 * - CLA `08` / `0C` (secure messaging): 6882 to SELECT, 69FC to everything else — the card offers no
 *   secure messaging on these APs (FACTS.md §2 general notes; myna-card README);
 * - any other CLA → 6E00. Malformed lengths → 6700 (apdu.ts). Nothing throws: an unexpected
 *   internal error would answer 6F00.
 *
 * Issuance lock: a card built from a personalisation record starts locked, as cards leave the
 * factory for the municipality (DESIGN.md §2). While locked every PIN operation — VERIFY (the
 * tries-left query included), CHANGE REFERENCE DATA — and COMPUTE DIGITAL SIGNATURE answers 6985
 * (conditions of use not satisfied) on both APs; free EFs stay readable. `unlockAtCounter()` is the
 * hand-over. `resetPinAtCounter()` re-initialises one PIN after lockout (FACTS.md §1.5).
 *
 * Security state: see {@link SessionState} — re-SELECT of an AP clears verified PINs; `reset()`
 * models removing the card from the field. PIN counters persist across both.
 * @module
 */
import { X509Certificate, constants, createHash, createPrivateKey, privateEncrypt } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { buildResponse, parseCommand } from "./apdu.js";
import type { Application, RawSigner } from "./application.js";
import { newSession } from "./application.js";
import { CARD_RECORD_VERSION, encodeCardRecord } from "./card-record.js";
import type { CardRecord } from "./card-record.js";
import { CardInputError } from "./errors.js";
import { changeReferenceData, readBinary, selectFile, verify } from "./interindustry.js";
import type { CardContext } from "./interindustry.js";
import { createJpkiAp } from "./jpki-ap.js";
import { PIN_POLICIES, PinReference, pinFormatProblem } from "./pin.js";
import type { PinKind } from "./pin.js";
import { DEFAULT_SCRYPT, SealingKey, sealWith } from "./sealing.js";
import type { ScryptParams, SealedEnvelope } from "./sealing.js";
import { computeDigitalSignature } from "./signature.js";
import { SW } from "./status-words.js";
import { createTextAp } from "./text-ap.js";
import type { BasicFacts } from "./text-records.js";
import { buildTokenInfo } from "./token-info.js";
import { checkCardFace, codeB, defaultCardFace, eraDate } from "./card-face.js";
import type { CardFaceData } from "./card-face.js";
import { BLOCKED_POLICY, CODE_KINDS, CODE_MAX_TRIES, CODE_POLICIES } from "./pin.js";
import type { CodeKind } from "./pin.js";
import { createSurfaceAp } from "./surface-ap.js";

/** Everything the factory writes onto a card (the "personalisation record"). */
export interface CardPersonalisation {
  /** 12-digit individual number (digits only; the check digit is not verified here). */
  readonly myNumber: string;
  /** The 4 basic facts for the 券面事項入力補助AP. */
  readonly basicFacts: BasicFacts;
  /** Initial PIN values; `sign` is required exactly when `hasSignatureCert`. */
  readonly pins: { readonly auth: string; readonly text: string; readonly sign?: string };
  /** Whether a signature certificate is loaded (false for holders under 15, FACTS.md §1.3). */
  readonly hasSignatureCert: boolean;
  /** Auth private key (RSA, node:crypto private KeyObject); must match `authCert`. */
  readonly authKey: KeyObject;
  /** Auth certificate DER (EF 000A). */
  readonly authCert: Uint8Array;
  /** Auth CA certificate DER (EF 000B). */
  readonly authCaCert: Uint8Array;
  /** Signature private key; required when `hasSignatureCert`, must match `signCert`. */
  readonly signKey?: KeyObject;
  /** Signature certificate DER (EF 0001); required when `hasSignatureCert`. */
  readonly signCert?: Uint8Array;
  /** Signature CA certificate DER (EF 0002); optional. */
  readonly signCaCert?: Uint8Array;
  /** Serial number written into EF 0006 (ASCII, ≤ 16 characters); defaults to empty. */
  readonly tokenSerial?: string;
  /**
   * Card-face data of the 券面 APs (expiry, security code, municipality): they make 照合番号B.
   * Default: expiry = the auth certificate's notAfter date, a security code derived from that
   * certificate (card-face.ts `defaultCardFace`).
   */
  readonly cardFace?: CardFaceData;
}

/** Persisted, non-secret card state (used when restoring a saved card). */
export interface CardRuntimeState {
  /** Issuance lock; a new card is locked. */
  readonly locked: boolean;
  /** Tries left per PIN; missing entries start at the maximum. */
  readonly triesLeft?: Readonly<Partial<Record<PinKind, number>>>;
  /** Tries left per card-face key; missing entries start at the maximum. */
  readonly codeTriesLeft?: Readonly<Partial<Record<CodeKind, number>>>;
}

/** Largest EF a 15-bit READ BINARY offset can reach. */
const MAX_EF_SIZE = 0x8000;

function fail(message: string): never {
  throw new CardInputError(`card personalisation: ${message}`);
}

function checkPin(kind: PinKind, value: unknown): string {
  const policy = PIN_POLICIES[kind];
  if (typeof value !== "string") fail(`${policy.label} must be a string`);
  const problem = pinFormatProblem(policy, value);
  if (problem) {
    throw new CardInputError(
      `${policy.label}: expected ${policy.minLength === policy.maxLength ? policy.minLength : `${policy.minLength}–${policy.maxLength}`} characters matching ${policy.pattern.source}, got ${value.length} characters (${problem})`,
    );
  }
  return value;
}

function checkCert(name: string, der: unknown): X509Certificate {
  if (!(der instanceof Uint8Array) || der.length === 0) fail(`${name} must be non-empty DER bytes`);
  if (der.length > MAX_EF_SIZE) fail(`${name} is ${der.length} bytes; an EF holds at most ${MAX_EF_SIZE}`);
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CardInputError(`card personalisation: ${name} is not a DER X.509 certificate`, { cause });
  }
}

function checkKeyPair(name: string, key: unknown, cert: X509Certificate): KeyObject {
  const k = key as KeyObject | undefined;
  if (!k || typeof k !== "object" || k.type !== "private" || k.asymmetricKeyType !== "rsa") {
    fail(`${name} must be an RSA private KeyObject`);
  }
  const bits = k.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024 || bits > 4096 || bits % 8 !== 0)
    fail(`${name} modulus must be 1024–4096 bits, got ${bits}`);
  if (!cert.checkPrivateKey(k)) fail(`${name} does not match the public key of its certificate`);
  return k;
}

function makeSigner(key: KeyObject): RawSigner {
  const modulusBytes = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  return {
    modulusBytes,
    signRaw: (block) => new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, block)),
  };
}

/**
 * A simulated My Number card. Construct it from a personalisation record (it starts
 * issuance-locked), hand it over with {@link MyNumberCard.unlockAtCounter}, then talk to it with
 * {@link MyNumberCard.transmit}. Private keys and PIN values live in private fields: no method
 * returns them; {@link MyNumberCard.seal} exports them only encrypted.
 */
export class MyNumberCard {
  #authKey: KeyObject;
  #signKey: KeyObject | undefined;
  readonly #p: CardPersonalisation;
  readonly #pins: { auth: PinReference; text: PinReference; sign: PinReference | undefined };
  readonly #codes: Readonly<Record<CodeKind, PinReference>>;
  readonly #face: CardFaceData;
  readonly #apps: readonly Application[];
  #session = newSession();
  #locked: boolean;
  #lockChanges = 0;

  /**
   * Personalise a card.
   * @param personalisation what the factory writes
   * @param state lock and counters to restore (default: locked, full counters)
   * @throws CardInputError when a field is malformed: My Number not 12 digits, a PIN that breaks
   *   its format, a key that is not RSA or does not match its certificate, a missing or surplus
   *   signature-side field
   */
  constructor(personalisation: CardPersonalisation, state: CardRuntimeState = { locked: true }) {
    const p = personalisation;
    if (typeof p.myNumber !== "string" || !/^[0-9]{12}$/.test(p.myNumber)) fail("myNumber must be 12 digits");
    const f = p.basicFacts;
    if (!f || typeof f.name !== "string" || typeof f.address !== "string")
      fail("basicFacts.name/address must be strings");
    if (f.name.length === 0 || f.address.length === 0) fail("basicFacts.name and address must not be empty");
    if (Buffer.byteLength(f.name) + Buffer.byteLength(f.address) > 0x7000)
      fail("basicFacts too long for EF 0002");
    if (
      typeof f.birthDate !== "string" ||
      !/^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/.test(f.birthDate)
    ) {
      fail("basicFacts.birthDate must be YYYYMMDD");
    }
    if (f.sex !== "1" && f.sex !== "2" && f.sex !== "9") fail('basicFacts.sex must be "1", "2" or "9"');
    if (p.tokenSerial !== undefined && !/^[\x20-\x7e]{0,16}$/.test(p.tokenSerial)) {
      fail("tokenSerial must be at most 16 printable ASCII characters");
    }
    const authCert = checkCert("authCert", p.authCert);
    const face =
      p.cardFace === undefined
        ? defaultCardFace(p.authCert, new Date(authCert.validTo))
        : checkCardFace(p.cardFace);
    const eraBirth = eraDate(f.birthDate);
    checkCert("authCaCert", p.authCaCert);
    this.#authKey = checkKeyPair("authKey", p.authKey, authCert);
    if (p.signCaCert !== undefined) checkCert("signCaCert", p.signCaCert);
    if (p.hasSignatureCert) {
      if (p.signCert === undefined || p.signKey === undefined)
        fail("hasSignatureCert needs signCert and signKey");
      this.#signKey = checkKeyPair("signKey", p.signKey, checkCert("signCert", p.signCert));
    } else {
      if (p.signCert !== undefined || p.signKey !== undefined || p.pins.sign !== undefined) {
        fail("a card without a signature certificate takes no signCert, signKey or pins.sign");
      }
      this.#signKey = undefined;
    }
    this.#p = {
      ...p,
      basicFacts: { ...f },
      pins: { ...p.pins },
      authCert: Uint8Array.from(p.authCert),
      authCaCert: Uint8Array.from(p.authCaCert),
      signCert: p.signCert && Uint8Array.from(p.signCert),
      signCaCert: p.signCaCert && Uint8Array.from(p.signCaCert),
    };
    this.#pins = {
      auth: new PinReference(PIN_POLICIES.auth, checkPin("auth", p.pins.auth)),
      text: new PinReference(PIN_POLICIES.text, checkPin("text", p.pins.text)),
      sign: p.hasSignatureCert
        ? new PinReference(PIN_POLICIES.sign, checkPin("sign", p.pins.sign))
        : undefined,
    };
    const signKey = this.#signKey;
    const jpki = createJpkiAp({
      authCert: this.#p.authCert,
      authCaCert: this.#p.authCaCert,
      signCaCert: this.#p.signCaCert,
      tokenInfo: buildTokenInfo({ serialNumber: p.tokenSerial ?? "" }),
      authPin: this.#pins.auth,
      authSigner: makeSigner(this.#authKey),
      sign:
        signKey && this.#pins.sign && this.#p.signCert
          ? { cert: this.#p.signCert, pin: this.#pins.sign, signer: makeSigner(signKey) }
          : undefined,
    });
    const b = codeB(f.birthDate, face);
    const code = (kind: CodeKind, value: string) => new PinReference(CODE_POLICIES[kind], value);
    this.#codes = {
      textCodeA: code("textCodeA", p.myNumber),
      textCodeB: code("textCodeB", b),
      surfaceBirthDate: code("surfaceBirthDate", eraBirth),
      surfaceCodeA: code("surfaceCodeA", p.myNumber),
      surfaceCodeB: code("surfaceCodeB", b),
    };
    this.#face = face;
    const blocked = new PinReference(BLOCKED_POLICY, "0");
    blocked.restoreCounter(0);
    const text = createTextAp({
      myNumber: p.myNumber,
      basicFacts: this.#p.basicFacts,
      pin: this.#pins.text,
      codeA: this.#codes.textCodeA,
      codeB: this.#codes.textCodeB,
      blocked,
      municipalityCode: face.municipalityCode,
    });
    const surface = createSurfaceAp({
      myNumber: p.myNumber,
      basicFacts: this.#p.basicFacts,
      face,
      birthDateKey: this.#codes.surfaceBirthDate,
      codeA: this.#codes.surfaceCodeA,
      codeB: this.#codes.surfaceCodeB,
    });
    this.#apps = [jpki, text, surface];
    this.#locked = state.locked;
    for (const kind of ["auth", "sign", "text"] as const) {
      const tries = state.triesLeft?.[kind];
      if (tries !== undefined) this.#pins[kind]?.restoreCounter(tries);
    }
    for (const kind of CODE_KINDS) {
      const tries = state.codeTriesLeft?.[kind];
      if (tries !== undefined) this.#codes[kind].restoreCounter(tries);
    }
  }

  /** True while the card is issuance-locked (before hand-over at the counter). */
  get locked(): boolean {
    return this.#locked;
  }

  /**
   * The card's identity for host-side bookkeeping (card-file.ts: lock and generation record): the
   * first 16 bytes of the SHA-256 of its authentication certificate, as 32 hex digits. The
   * certificate is public (EF 000A is free to read) and unique per card.
   */
  get cardId(): string {
    return createHash("sha256").update(this.#p.authCert).digest("hex").slice(0, 32);
  }

  /**
   * A number that changes whenever the card's non-volatile state changes — a PIN counter, a PIN
   * value, the issuance lock — and only then. A file-backed card compares it before and after a
   * command and writes the file before answering when it moved (card-file.ts).
   */
  get stateVersion(): number {
    let n = this.#lockChanges;
    for (const kind of ["auth", "sign", "text"] as const) n += this.#pins[kind]?.changes ?? 0;
    for (const kind of CODE_KINDS) n += this.#codes[kind].changes;
    return n;
  }

  /** Whether the card carries a signature certificate (EF 0008 `8F 8F 00`). */
  get hasSignatureCert(): boolean {
    return this.#p.hasSignatureCert;
  }

  /**
   * Tries left on a PIN or card-face key (0 = blocked), or `undefined` for the signature password
   * of a card without one.
   */
  triesLeft(kind: PinKind | CodeKind): number | undefined {
    if (kind === "auth" || kind === "sign" || kind === "text") return this.#pins[kind]?.remaining;
    return this.#codes[kind]?.remaining;
  }

  /** The card-face data (expiry, security code, municipality) the 券面 APs were built from. */
  get cardFace(): CardFaceData {
    return { ...this.#face };
  }

  /**
   * Process one command APDU and return the response APDU (data ‖ SW1 SW2). Never throws; always
   * returns at least the two status bytes.
   */
  transmit(apdu: Uint8Array): Uint8Array {
    try {
      return this.#dispatch(apdu);
    } catch {
      return buildResponse(SW.NO_DIAGNOSIS);
    }
  }

  #dispatch(apdu: Uint8Array): Uint8Array {
    const parsed = parseCommand(apdu);
    if (!parsed.ok) return buildResponse(parsed.sw);
    const cmd = parsed.command;
    const ctx: CardContext = { session: this.#session, applications: this.#apps, locked: this.#locked };
    if (cmd.cla === 0x08 || cmd.cla === 0x0c) {
      return buildResponse(cmd.ins === 0xa4 ? SW.SM_NOT_SUPPORTED : SW.SM_REFUSED);
    }
    if (cmd.cla === 0x00) {
      switch (cmd.ins) {
        case 0xa4:
          return selectFile(cmd, ctx);
        case 0xb0:
          return readBinary(cmd, ctx);
        case 0x20:
          return verify(cmd, ctx);
        case 0x24:
          return changeReferenceData(cmd, ctx);
        default:
          return buildResponse(SW.INS_NOT_SUPPORTED);
      }
    }
    if (cmd.cla === 0x80) {
      return cmd.ins === 0x2a ? computeDigitalSignature(cmd, ctx) : buildResponse(SW.INS_NOT_SUPPORTED);
    }
    return buildResponse(SW.CLA_NOT_SUPPORTED);
  }

  /** Card leaves the field / power cycle: nothing selected, nothing verified. Counters persist. */
  reset(): void {
    this.#session = newSession();
  }

  /**
   * Hand-over at the municipal counter: the resident sets the PINs (any omitted keep the factory
   * value), all counters start full and the issuance lock is lifted.
   * @throws CardInputError when a PIN breaks its format or `sign` is given for a card without a
   *   signature certificate; nothing changes then
   */
  unlockAtCounter(pins: Partial<Record<PinKind, string>> = {}): void {
    if (pins.sign !== undefined && !this.#pins.sign) {
      throw new CardInputError(
        "unlockAtCounter: this card has no signature certificate, so no signature password",
      );
    }
    const checked: Partial<Record<PinKind, string>> = {};
    for (const kind of ["auth", "sign", "text"] as const) {
      if (pins[kind] !== undefined) checked[kind] = checkPin(kind, pins[kind]);
    }
    for (const kind of ["auth", "sign", "text"] as const) {
      const ref = this.#pins[kind];
      if (!ref) continue;
      const v = checked[kind];
      if (v !== undefined) ref.set(v);
      else ref.restoreCounter(ref.policy.maxTries);
    }
    for (const kind of CODE_KINDS) this.#codes[kind].restoreCounter(CODE_MAX_TRIES);
    if (this.#locked) this.#lockChanges++;
    this.#locked = false;
    this.reset();
  }

  /**
   * Re-initialise one PIN at the municipal counter (after identity check): new value, counter full,
   * block lifted. Also the convenience-store kiosk path for the signature password (FACTS.md §1.5).
   * @throws CardInputError when the value breaks the PIN's format or the card has no such PIN
   */
  resetPinAtCounter(kind: PinKind, newPin: string): void {
    const ref = this.#pins[kind];
    if (!ref) throw new CardInputError(`resetPinAtCounter: this card has no ${PIN_POLICIES[kind].label}`);
    ref.set(checkPin(kind, newPin));
    this.reset();
  }

  /**
   * Reset the counter of a blocked card-face key (照合番号A/B, birth-date key) at the municipal
   * counter. Its value comes from the card face and does not change.
   * @throws CardInputError for an unknown key
   */
  resetCodeAtCounter(kind: CodeKind): void {
    if (!CODE_KINDS.includes(kind))
      throw new CardInputError(`resetCodeAtCounter: unknown card-face key ${String(kind)}`);
    this.#codes[kind].restoreCounter(CODE_MAX_TRIES);
    this.reset();
  }

  /**
   * Export the card encrypted under `passphrase` (scrypt + AES-256-GCM, sealing.ts): the only way
   * key material leaves the object. Use `saveCard` from card-store.ts for bytes on disk.
   * @param passphrase the passphrase, or a key already derived from it (no scrypt then)
   * @param params scrypt cost when a passphrase is given
   * @param generation write generation recorded inside the sealed record (card-record.ts)
   */
  seal(
    passphrase: string | SealingKey,
    params: ScryptParams = DEFAULT_SCRYPT,
    generation = 0,
  ): SealedEnvelope {
    const p = this.#p;
    const pins: Partial<Record<PinKind, string>> = {};
    const triesLeft: Partial<Record<PinKind, number>> = {};
    for (const kind of ["auth", "sign", "text"] as const) {
      const ref = this.#pins[kind];
      if (!ref) continue;
      pins[kind] = ref.sealValue();
      triesLeft[kind] = ref.remaining;
    }
    const codeTriesLeft: Partial<Record<CodeKind, number>> = {};
    for (const kind of CODE_KINDS) codeTriesLeft[kind] = this.#codes[kind].remaining;
    const der = (k: KeyObject) => new Uint8Array(k.export({ format: "der", type: "pkcs8" }));
    const record: CardRecord = {
      recordVersion: CARD_RECORD_VERSION,
      generation,
      myNumber: p.myNumber,
      basicFacts: p.basicFacts,
      hasSignatureCert: p.hasSignatureCert,
      tokenSerial: p.tokenSerial ?? "",
      pins,
      triesLeft,
      codeTriesLeft,
      cardFace: { ...this.#face },
      locked: this.#locked,
      authKey: der(this.#authKey),
      signKey: this.#signKey && der(this.#signKey),
      authCert: p.authCert,
      authCaCert: p.authCaCert,
      signCert: p.signCert,
      signCaCert: p.signCaCert,
    };
    const plaintext = encodeCardRecord(record);
    try {
      const key = typeof passphrase === "string" ? SealingKey.derive(passphrase, params) : passphrase;
      return sealWith(key, plaintext);
    } finally {
      plaintext.fill(0);
    }
  }

  /**
   * Rebuild a card from a decrypted record (card-store.ts `loadCard` is the public door).
   * @throws CardInputError when a value in the record is invalid
   * @internal
   */
  static fromRecord(record: CardRecord): MyNumberCard {
    const key = (der: Uint8Array) =>
      createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
    let authKey: KeyObject;
    let signKey: KeyObject | undefined;
    try {
      authKey = key(record.authKey);
      signKey = record.signKey && key(record.signKey);
    } catch (cause) {
      throw new CardInputError("card record: a private key is not PKCS#8 DER", { cause });
    }
    return new MyNumberCard(
      {
        myNumber: record.myNumber,
        basicFacts: record.basicFacts,
        pins: { auth: record.pins.auth ?? "", text: record.pins.text ?? "", sign: record.pins.sign },
        hasSignatureCert: record.hasSignatureCert,
        authKey,
        authCert: record.authCert,
        authCaCert: record.authCaCert,
        signKey,
        signCert: record.signCert,
        signCaCert: record.signCaCert,
        tokenSerial: record.tokenSerial,
        cardFace: record.cardFace,
      },
      { locked: record.locked, triesLeft: record.triesLeft, codeTriesLeft: record.codeTriesLeft },
    );
  }
}
