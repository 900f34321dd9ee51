/**
 * Encryption at rest for saved cards: scrypt (RFC 7914) derives 64 bytes from the passphrase —
 * 32 for AES-256-GCM (NIST SP 800-38D), 32 for a passphrase check value — so that a wrong
 * passphrase ({@link CardPassphraseError}) is told apart from a corrupted file ({@link CardFileError}).
 * The envelope header (format, version, KDF parameters) is bound to the ciphertext as GCM
 * additional data: nothing in the file can be altered undetected, PIN counters included.
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from "node:crypto";
import { CardFileError, CardPassphraseError } from "./errors.js";

/** Envelope format name. */
export const ENVELOPE_FORMAT = "myna-twin-card";
/** Envelope version written by this code. */
export const ENVELOPE_VERSION = 1;

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost (power of two). */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/** Default scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of ms). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 14, r: 8, p: 1 };

/** The JSON envelope of a saved card. */
export interface SealedEnvelope {
  /** Always {@link ENVELOPE_FORMAT}. */
  readonly format: string;
  /** Envelope version. */
  readonly version: number;
  /** KDF name and parameters. */
  readonly kdf: {
    readonly name: "scrypt";
    readonly N: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  /** Cipher name, IV and tag (base64). */
  readonly cipher: { readonly name: "aes-256-gcm"; readonly iv: string; readonly tag: string };
  /** Passphrase check value (base64, 16 bytes). */
  readonly check: string;
  /** The encrypted payload (base64). */
  readonly ciphertext: string;
}

const CHECK_LABEL = "myna-twin card passphrase check v1";

function derive(passphrase: string, salt: Buffer, params: ScryptParams): { key: Buffer; check: Buffer } {
  const out = scryptSync(passphrase.normalize("NFC"), salt, 64, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  });
  const check = createHmac("sha256", out.subarray(32)).update(CHECK_LABEL).digest().subarray(0, 16);
  return { key: out.subarray(0, 32), check };
}

/**
 * A derived sealing key: the scrypt output for one (passphrase, salt, parameters). scrypt is the
 * slow part of sealing (tens of ms), so a file-backed card that re-seals after every PIN-counter
 * change derives it once per session and seals each generation with a fresh random 96-bit IV
 * (NIST SP 800-38D §8.2.2: safe far beyond any session's count of writes).
 */
export class SealingKey {
  /** scrypt parameters. */
  readonly params: ScryptParams;
  /** The 16-byte salt. */
  readonly salt: Buffer;
  readonly #key: Buffer;
  readonly #check: Buffer;

  private constructor(params: ScryptParams, salt: Buffer, key: Buffer, check: Buffer) {
    this.params = params;
    this.salt = salt;
    this.#key = key;
    this.#check = check;
  }

  /** Derive the key of `passphrase` (a fresh random salt unless one is given). */
  static derive(
    passphrase: string,
    params: ScryptParams = DEFAULT_SCRYPT,
    salt: Buffer = randomBytes(16),
  ): SealingKey {
    const { key, check } = derive(passphrase, salt, params);
    return new SealingKey(params, Buffer.from(salt), key, check);
  }

  /** True when this key was derived with `salt` and `params` (so it opens such an envelope). */
  matches(salt: Buffer, params: ScryptParams): boolean {
    return (
      this.salt.equals(salt) &&
      this.params.N === params.N &&
      this.params.r === params.r &&
      this.params.p === params.p
    );
  }

  /** The AES key. @internal */
  aesKey(): Buffer {
    return this.#key;
  }

  /** The passphrase check value. @internal */
  checkValue(): Buffer {
    return this.#check;
  }
}

function headerAad(e: Pick<SealedEnvelope, "format" | "version" | "kdf">): Buffer {
  const { name, N, r, p, salt } = e.kdf;
  return Buffer.from(JSON.stringify([e.format, e.version, name, N, r, p, salt, "aes-256-gcm"]), "utf8");
}

/** Encrypt `plaintext` under `passphrase` (a fresh salt) into an envelope. */
export function seal(
  plaintext: Uint8Array,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): SealedEnvelope {
  return sealWith(SealingKey.derive(passphrase, params), plaintext);
}

/** Encrypt `plaintext` under an already derived key, with a fresh random IV. */
export function sealWith(key: SealingKey, plaintext: Uint8Array): SealedEnvelope {
  const iv = randomBytes(12);
  const kdf = {
    name: "scrypt" as const,
    N: key.params.N,
    r: key.params.r,
    p: key.params.p,
    salt: key.salt.toString("base64"),
  };
  const cipher = createCipheriv("aes-256-gcm", key.aesKey(), iv);
  cipher.setAAD(headerAad({ format: ENVELOPE_FORMAT, version: ENVELOPE_VERSION, kdf }));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    kdf,
    cipher: { name: "aes-256-gcm", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64") },
    check: key.checkValue().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function b64(v: unknown, field: string, expectLength?: number): Buffer {
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
    throw new CardFileError(`card file: ${field} is not base64`);
  }
  const out = Buffer.from(v, "base64");
  if (expectLength !== undefined && out.length !== expectLength) {
    throw new CardFileError(`card file: ${field} must be ${expectLength} bytes, got ${out.length}`);
  }
  return out;
}

/**
 * Check an untrusted value is a well-formed envelope and decrypt it.
 * @throws CardFileError when it is not an envelope, has an unsupported version or unsafe KDF
 *   parameters, or fails authentication despite the right passphrase (corruption)
 * @throws CardPassphraseError when the passphrase is wrong
 */
export function open(envelope: unknown, passphrase: string): Uint8Array {
  return openWithKey(envelope, passphrase).plaintext;
}

/**
 * {@link open}, also returning the derived key so the caller can seal later generations without
 * running scrypt again; `reuse` skips scrypt when it was derived with the envelope's salt and cost.
 * @throws CardFileError / CardPassphraseError as {@link open}
 */
export function openWithKey(
  envelope: unknown,
  passphrase: string,
  reuse?: SealingKey,
): { plaintext: Uint8Array; key: SealingKey } {
  if (!isObject(envelope) || envelope.format !== ENVELOPE_FORMAT) {
    throw new CardFileError(`card file: not a ${ENVELOPE_FORMAT} file`);
  }
  if (envelope.version !== ENVELOPE_VERSION) {
    throw new CardFileError(
      `card file: unsupported version ${String(envelope.version)} (expected ${ENVELOPE_VERSION})`,
    );
  }
  const { kdf, cipher } = envelope;
  if (!isObject(kdf) || kdf.name !== "scrypt" || !isObject(cipher) || cipher.name !== "aes-256-gcm") {
    throw new CardFileError("card file: kdf must be scrypt and cipher aes-256-gcm");
  }
  const { N, r, p } = kdf;
  const okInt = (v: unknown, max: number): v is number =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!okInt(N, 1 << 17) || (N & (N - 1)) !== 0 || N < 2 || !okInt(r, 16) || !okInt(p, 4)) {
    throw new CardFileError(
      "card file: scrypt parameters out of range (N ≤ 2^17 power of two, r ≤ 16, p ≤ 4)",
    );
  }
  const salt = b64(kdf.salt, "kdf.salt", 16);
  const iv = b64(cipher.iv, "cipher.iv", 12);
  const tag = b64(cipher.tag, "cipher.tag", 16);
  const check = b64(envelope.check, "check", 16);
  const ciphertext = b64(envelope.ciphertext, "ciphertext");
  const derived = reuse?.matches(salt, { N, r, p })
    ? reuse
    : SealingKey.derive(passphrase, { N, r, p }, salt);
  if (!timingSafeEqual(derived.checkValue(), check)) {
    throw new CardPassphraseError("card file: wrong passphrase");
  }
  const decipher = createDecipheriv("aes-256-gcm", derived.aesKey(), iv);
  decipher.setAAD(
    headerAad({
      format: ENVELOPE_FORMAT,
      version: ENVELOPE_VERSION,
      kdf: { name: "scrypt", N, r, p, salt: salt.toString("base64") },
    }),
  );
  decipher.setAuthTag(tag);
  try {
    const plaintext = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    return { plaintext, key: derived };
  } catch (cause) {
    throw new CardFileError("card file: corrupted (authentication failed)", { cause });
  }
}
