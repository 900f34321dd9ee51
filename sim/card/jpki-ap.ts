/**
 * 公的個人認証AP (JPKI AP), FACTS.md §2.1 (AID), §2.2 (EFs and access), §1.3 (who holds which
 * certificate) and §1.5 (PINs).
 *
 * | EF   | content                             | access                                 |
 * |------|-------------------------------------|----------------------------------------|
 * | 0001 | signature certificate (DER)         | READ BINARY after VERIFY of 001B       |
 * | 0002 | signature CA certificate            | free                                   |
 * | 0006 | token info, `JPKIAPICCTOKEN2`       | free                                   |
 * | 0008 | `8F 8F 00` / `00 8F 00`             | free                                   |
 * | 000A | auth certificate                    | free                                   |
 * | 000B | auth CA certificate                 | free                                   |
 * | 0017 | auth private key                    | COMPUTE DIGITAL SIGNATURE after 0018   |
 * | 0018 | auth PIN, 4 digits, 3 tries         | VERIFY / CHANGE REFERENCE DATA         |
 * | 001A | signature private key               | COMPUTE DIGITAL SIGNATURE after 001B   |
 * | 001B | signature password, 6–16, 5 tries   | VERIFY / CHANGE REFERENCE DATA         |
 *
 * A card without a signature certificate (holder under 15, FACTS.md §1.3) has no 0001, 001A or
 * 001B: selecting them answers 6A82, and EF 0008 reads `00 8F 00`. EF 0016 (terminal CA key),
 * 0009 and the SET PUBLIC IC KEY exchange are not modelled (6A82).
 * @module
 */
import type { Application, ElementaryFile, RawSigner } from "./application.js";
import { JPKI_AID, JPKI_EF } from "./ids.js";
import type { PinReference } from "./pin.js";

/** What the JPKI AP is built from. Key material stays in the card object; only signers come here. */
export interface JpkiApContents {
  /** Auth certificate DER (EF 000A). */
  readonly authCert: Uint8Array;
  /** Auth CA certificate DER (EF 000B). */
  readonly authCaCert: Uint8Array;
  /** Signature CA certificate DER (EF 0002); absent → 6A82. */
  readonly signCaCert?: Uint8Array;
  /** EF 0006 content (160 bytes). */
  readonly tokenInfo: Uint8Array;
  /** Auth PIN (EF 0018). */
  readonly authPin: PinReference;
  /** Signer of the auth key (EF 0017). */
  readonly authSigner: RawSigner;
  /** The signature side, present only when the card carries a signature certificate. */
  readonly sign?: {
    /** Signature certificate DER (EF 0001). */
    readonly cert: Uint8Array;
    /** Signature password (EF 001B). */
    readonly pin: PinReference;
    /** Signer of the signature key (EF 001A). */
    readonly signer: RawSigner;
  };
}

/** EF 0008 for a card carrying both certificates. */
export const CERT_AVAILABILITY_BOTH: Uint8Array = Uint8Array.of(0x8f, 0x8f, 0x00);
/** EF 0008 for a card without a signature certificate (e.g. holder under 15). */
export const CERT_AVAILABILITY_AUTH_ONLY: Uint8Array = Uint8Array.of(0x00, 0x8f, 0x00);

/** Build the JPKI application DF. */
export function createJpkiAp(contents: JpkiApContents): Application {
  const files = new Map<number, ElementaryFile>();
  const add = (ef: ElementaryFile) => files.set(ef.id, ef);
  add({ kind: "binary", id: JPKI_EF.AUTH_CERT, content: contents.authCert });
  add({ kind: "binary", id: JPKI_EF.AUTH_CA_CERT, content: contents.authCaCert });
  if (contents.signCaCert) add({ kind: "binary", id: JPKI_EF.SIGN_CA_CERT, content: contents.signCaCert });
  add({ kind: "binary", id: JPKI_EF.TOKEN_INFO, content: contents.tokenInfo });
  add({
    kind: "binary",
    id: JPKI_EF.CERT_AVAILABILITY,
    content: contents.sign ? CERT_AVAILABILITY_BOTH : CERT_AVAILABILITY_AUTH_ONLY,
  });
  add({ kind: "pin", id: JPKI_EF.AUTH_PIN, pin: contents.authPin });
  add({ kind: "key", id: JPKI_EF.AUTH_KEY, guard: contents.authPin, signer: contents.authSigner });
  if (contents.sign) {
    const s = contents.sign;
    add({ kind: "binary", id: JPKI_EF.SIGN_CERT, content: s.cert, readGuard: s.pin });
    add({ kind: "pin", id: JPKI_EF.SIGN_PIN, pin: s.pin });
    add({ kind: "key", id: JPKI_EF.SIGN_KEY, guard: s.pin, signer: s.signer });
  }
  return { name: "JPKI", aid: JPKI_AID, ef: (id) => files.get(id) };
}
