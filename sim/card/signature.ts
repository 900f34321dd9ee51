/**
 * COMPUTE DIGITAL SIGNATURE, the JPKI AP's proprietary `80 2A` command, FACTS.md §2.4 and §2.5:
 * `80 2A 00 80 Lc <DigestInfo> 00` after SELECT EF 0017 / 001A and VERIFY of the matching PIN
 * answers `<256-byte RSA signature> 90 00`.
 *
 * P1 (signature scheme, from FACTS.md §2.4's probing notes, confidence M):
 * - `00` — PKCS#1 v1.5 over the data exactly as given (1 to k−11 = 245 bytes for RSA-2048): the
 *   card pads whatever DigestInfo it is handed, so SHA-1/256/384/512 DigestInfos all work;
 * - `01` — the card hashes the data with SHA-256 and signs the bare 32-byte hash;
 * - `02` — the data is a 32-byte SHA-256 hash, which the card wraps in a DigestInfo;
 * - `03` — the card hashes with SHA-256 and wraps in a DigestInfo.
 * `04`/`05` (PSS) are not modelled and, like every other P1, answer 6A86.
 *
 * P2: `80` = the current EF, `80 | SFI` = the key by short EF id (`97` auth, `9A` sign).
 * Status words: 6700 (no data, no Le, or data of the wrong size for P1), 6985 (no key EF current,
 * or the card is issuance-locked), 6982 (the key's PIN not verified this session), 6Cxx (Le
 * shorter than the signature). The security status survives a signature (not published; chosen).
 * @module
 */
import { createHash } from "node:crypto";
import { buildResponse } from "./apdu.js";
import type { CommandApdu } from "./apdu.js";
import { DIGEST_INFO_PREFIX } from "./digest-info.js";
import { resolveReference } from "./interindustry.js";
import type { CardContext } from "./interindustry.js";
import { SW, swWrongLe } from "./status-words.js";

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The block to pad and sign for scheme `p1`, or a status word when the data does not fit it. */
function signingBlock(p1: number, data: Uint8Array, modulusBytes: number): Uint8Array | number {
  switch (p1) {
    case 0x00:
      return data.length <= modulusBytes - 11 ? data : SW.WRONG_LENGTH;
    case 0x01:
      return sha256(data);
    case 0x02:
      return data.length === 32 ? concat(DIGEST_INFO_PREFIX.sha256, data) : SW.WRONG_LENGTH;
    case 0x03:
      return concat(DIGEST_INFO_PREFIX.sha256, sha256(data));
    default:
      return SW.WRONG_P1P2;
  }
}

/** COMPUTE DIGITAL SIGNATURE: `80 2A <scheme> <80 | 80+SFI> Lc <data> <Le>`. */
export function computeDigitalSignature(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 > 0x03) return buildResponse(SW.WRONG_P1P2);
  if (cmd.data.length === 0 || cmd.ne === undefined) return buildResponse(SW.WRONG_LENGTH);
  const ef = resolveReference(cmd.p2, ctx);
  if (typeof ef === "number") return buildResponse(ef);
  if (ef.kind !== "key") return buildResponse(SW.CONDITIONS_NOT_SATISFIED);
  if (ctx.locked) return buildResponse(SW.CONDITIONS_NOT_SATISFIED);
  if (!ctx.session.verified.has(ef.guard)) return buildResponse(SW.SECURITY_NOT_SATISFIED);
  const block = signingBlock(cmd.p1, cmd.data, ef.signer.modulusBytes);
  if (typeof block === "number") return buildResponse(block);
  if (cmd.ne < ef.signer.modulusBytes) return buildResponse(swWrongLe(ef.signer.modulusBytes));
  return buildResponse(SW.OK, ef.signer.signRaw(block));
}
