/**
 * Terminal-side builders of the exact command APDUs of FACTS.md §2.4, for clients of the card
 * (authentication and signing flows elsewhere in sim/) and for tests.
 * @module
 */
import { encodeCommand } from "./apdu.js";

/** `00 A4 04 0C Lc <AID>` — SELECT an application by DF name. */
export function selectAidCommand(aid: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
}

/** `00 A4 02 0C 02 <FID>` — SELECT an EF of the current application. */
export function selectEfCommand(fid: number): Uint8Array {
  return encodeCommand({
    cla: 0x00,
    ins: 0xa4,
    p1: 0x02,
    p2: 0x0c,
    data: Uint8Array.of(fid >> 8, fid & 0xff),
  });
}

/** `00 B0 <offset> <Le>` — READ BINARY of the current EF; offset 0–0x7FFF, `ne` 1–256 (256 → `00`). */
export function readBinaryCommand(offset: number, ne: number): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fff)
    throw new RangeError(`offset 0..0x7FFF, got ${offset}`);
  return encodeCommand({ cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne });
}

/** `00 20 00 80 Lc <PIN>` — VERIFY the current PIN EF; without `pin`, the tries-left query `00 20 00 80`. */
export function verifyCommand(pin?: string): Uint8Array {
  const data = pin === undefined ? undefined : new TextEncoder().encode(pin);
  return encodeCommand({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data });
}

/** `00 24 01 80 Lc <new PIN>` — CHANGE REFERENCE DATA of the current PIN EF. */
export function changeReferenceDataCommand(newPin: string): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0x24, p1: 0x01, p2: 0x80, data: new TextEncoder().encode(newPin) });
}

/** `80 2A 00 80 Lc <DigestInfo> 00` — COMPUTE DIGITAL SIGNATURE with the current key EF. */
export function computeSignatureCommand(digestInfo: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, ne: 256 });
}
