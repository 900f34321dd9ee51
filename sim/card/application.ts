/**
 * The shape of an application DF on the card: elementary files with their access rules, and the
 * per-session security state. ISO/IEC 7816-4 §7 (file model, current EF, security status) as the
 * JPKI and 券面事項入力補助 APs use it (FACTS.md §2.2, §2.3).
 *
 * Three kinds of EF exist in this model:
 * - `binary` — a transparent EF read with READ BINARY, optionally guarded by a PIN (or by any one
 *   of several, as the 券面 APs' EFs are);
 * - `pin` — a key reference (an "internal EF") that VERIFY / CHANGE REFERENCE DATA act on;
 * - `key` — a private key that COMPUTE DIGITAL SIGNATURE uses after its PIN is verified. It holds
 *   no key material itself, only a signing capability handed in by the card object.
 * @module
 */
import { PinReference } from "./pin.js";

/** Raw RSA signing capability: PKCS#1 v1.5 type-1 padding plus the private-key operation. */
export interface RawSigner {
  /** Modulus length in bytes (256 for RSA-2048): the signature length. */
  readonly modulusBytes: number;
  /** Pad `block` (at most `modulusBytes − 11` bytes) with PKCS#1 v1.5 type 1 and sign it. */
  signRaw(block: Uint8Array): Uint8Array;
}

/** A transparent EF. */
export interface BinaryFile {
  /** Discriminant. */
  readonly kind: "binary";
  /** File identifier. */
  readonly id: number;
  /** The whole physical content of the EF. */
  readonly content: Uint8Array;
  /**
   * PIN whose verification this session is required before READ BINARY — or a list, any one of
   * which opens the EF (the 券面 APs: "PIN or 照合番号A"); absent = free.
   */
  readonly readGuard?: PinReference | readonly PinReference[];
}

/** A PIN key reference. */
export interface PinFile {
  /** Discriminant. */
  readonly kind: "pin";
  /** File identifier. */
  readonly id: number;
  /** The PIN and its counter. */
  readonly pin: PinReference;
}

/** A private-key EF. */
export interface KeyFile {
  /** Discriminant. */
  readonly kind: "key";
  /** File identifier. */
  readonly id: number;
  /** PIN that must be verified this session before signing. */
  readonly guard: PinReference;
  /** The signing capability. */
  readonly signer: RawSigner;
}

/** Any EF of this model. */
export type ElementaryFile = BinaryFile | PinFile | KeyFile;

/** An application DF. */
export interface Application {
  /** Short name, for logs (`"JPKI"`, `"TEXT"`). */
  readonly name: string;
  /** The DF name (AID). */
  readonly aid: Uint8Array;
  /** Look an EF up by its file identifier; `undefined` → 6A82. */
  ef(id: number): ElementaryFile | undefined;
}

/**
 * Volatile security state of one card session (one power-up / one time in the field).
 *
 * Chosen behaviour (a real card's exact rule is not published): SELECT of any application by AID —
 * including re-selecting the current one — clears the current EF and every verified status; a
 * failed VERIFY clears that PIN's verified status; SELECT of an EF keeps the verified statuses
 * (the FACTS.md §2.6 sequences verify 0018 then select 0017). Card reset (`MyNumberCard.reset`)
 * clears everything. Retry counters are not here: they persist in the PIN references.
 */
export interface SessionState {
  /** The selected application, if any. */
  app: Application | undefined;
  /** The current EF, if any. */
  currentEf: ElementaryFile | undefined;
  /** PINs verified since the application was selected. */
  readonly verified: Set<PinReference>;
}

/** True when the session may READ BINARY `ef` (free, or one of its guards verified). */
export function readAllowed(ef: BinaryFile, session: SessionState): boolean {
  const g = ef.readGuard;
  if (g === undefined) return true;
  if (g instanceof PinReference) return session.verified.has(g);
  return g.some((p) => session.verified.has(p));
}

/** A fresh session: nothing selected, nothing verified. */
export function newSession(): SessionState {
  return { app: undefined, currentEf: undefined, verified: new Set() };
}
