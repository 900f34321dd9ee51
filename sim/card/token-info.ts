/**
 * EF 0006 of the JPKI AP: a 160-byte PKCS#11 CK_TOKEN_INFO with 32-bit big-endian CK_ULONGs,
 * label `JPKIAPICCTOKEN2` on a My Number card (FACTS.md §2.2, §1.7; layout as decoded by
 * soltia48/myna-card `TokenInfo`). Only the label is checked by clients; the other fields carry
 * plausible values and a manufacturer ID that says the card is simulated.
 * @module
 */

/** Size of the record. */
export const TOKEN_INFO_LENGTH = 160;

/** Label of a physical My Number card. */
export const CARD_TOKEN_LABEL = "JPKIAPICCTOKEN2";

/** Inputs of {@link buildTokenInfo}. */
export interface TokenInfoFields {
  /** `label[32]`; defaults to {@link CARD_TOKEN_LABEL}. */
  readonly label?: string;
  /** `serialNumber[16]`, ASCII; defaults to spaces. */
  readonly serialNumber?: string;
}

/** PKCS#11 flags: CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED. */
const FLAGS = 0x0000_0001 | 0x0000_0004 | 0x0000_0008 | 0x0000_0400;

function putText(out: Uint8Array, offset: number, width: number, text: string): void {
  out.fill(0x20, offset, offset + width);
  const bytes = new TextEncoder().encode(text);
  out.set(bytes.subarray(0, width), offset);
}

/** Build the 160-byte EF 0006 content. */
export function buildTokenInfo(fields: TokenInfoFields = {}): Uint8Array {
  const out = new Uint8Array(TOKEN_INFO_LENGTH);
  const view = new DataView(out.buffer);
  putText(out, 0, 32, fields.label ?? CARD_TOKEN_LABEL);
  putText(out, 32, 32, "myna-twin simulated card");
  putText(out, 64, 16, "SIMULATED");
  putText(out, 80, 16, fields.serialNumber ?? "");
  view.setUint32(96, FLAGS);
  view.setUint32(100, 0); // ulMaxSessionCount: CK_EFFECTIVELY_INFINITE
  view.setUint32(104, 0xffff_ffff); // ulSessionCount: unavailable
  view.setUint32(108, 0);
  view.setUint32(112, 0xffff_ffff);
  view.setUint32(116, 16); // ulMaxPinLen
  view.setUint32(120, 4); // ulMinPinLen
  for (let off = 124; off < 140; off += 4) view.setUint32(off, 0xffff_ffff); // memory: unavailable
  putText(out, 140, 2, "03"); // hardwareVersion: physical cards show ASCII here
  putText(out, 142, 2, "01"); // firmwareVersion
  putText(out, 144, 16, ""); // utcTime: no clock on the token
  return out;
}
