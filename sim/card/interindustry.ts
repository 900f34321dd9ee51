/**
 * The ISO/IEC 7816-4 interindustry commands the My Number card answers under CLA 00: SELECT FILE
 * (§11.1.1), READ BINARY (§11.2.3), VERIFY (§11.5.6) and CHANGE REFERENCE DATA (§11.5.7), with the
 * exact encodings of FACTS.md §2.4 and the status words of §1.5.
 *
 * Choices where the card's behaviour is not published (each documented at its handler):
 * - SELECT accepts P2 `0C` (no FCI, the form every client uses) and `00`, both answering no data;
 *   P1 other than `04` (DF name) and `02` (EF under the current DF) answers 6A86. A DF name may be a
 *   prefix of an AID (JICSAP 4.2 (1)); the JPKI AP wins a tie. A failed SELECT changes nothing.
 * - READ BINARY past the end returns the bytes up to the end with 9000 (JICSAP 6.4.1 (4)); an offset
 *   at or beyond the end answers 6B00. The short-EF form `P1 = 80 | SFI` selects the EF too.
 * - VERIFY / CHANGE REFERENCE DATA check P1 and the length fields before resolving the key
 *   reference, so a malformed command changes no state; P2 `80 | SFI` makes that EF current.
 * @module
 */
import { buildResponse } from "./apdu.js";
import type { CommandApdu } from "./apdu.js";
import type { Application, ElementaryFile, SessionState } from "./application.js";
import { readAllowed } from "./application.js";
import { startsWith } from "./ids.js";
import { pinFormatProblem } from "./pin.js";
import { SW, swTriesLeft } from "./status-words.js";

/** What a command handler may read and change. */
export interface CardContext {
  /** The volatile session state. */
  readonly session: SessionState;
  /** Applications in selection-priority order. */
  readonly applications: readonly Application[];
  /** True while the card is issuance-locked: PIN and signing commands answer 6985. */
  readonly locked: boolean;
}

const status = (sw: number): Uint8Array => buildResponse(sw);

/**
 * Resolve the key reference of VERIFY / CHANGE REFERENCE DATA / COMPUTE DIGITAL SIGNATURE from P2:
 * `80` = the current EF, `80 | SFI` (SFI 1–30) = that EF of the current application, which becomes
 * current. Returns the EF, or a status word.
 */
export function resolveReference(p2: number, ctx: CardContext): ElementaryFile | number {
  const { session } = ctx;
  if (p2 === 0x80) return session.currentEf ?? SW.CONDITIONS_NOT_SATISFIED;
  const sfi = p2 & 0x1f;
  if ((p2 & 0xe0) !== 0x80 || sfi === 0 || sfi === 0x1f) return SW.WRONG_P1P2;
  const ef = session.app?.ef(sfi);
  if (!ef) return SW.FILE_NOT_FOUND;
  session.currentEf = ef;
  return ef;
}

/** SELECT FILE: `00 A4 04 0C Lc <AID>` or `00 A4 02 0C 02 <FID>`. */
export function selectFile(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p2 !== 0x0c && cmd.p2 !== 0x00) return status(SW.WRONG_P1P2);
  const { session } = ctx;
  if (cmd.p1 === 0x04) {
    if (cmd.data.length === 0 || cmd.data.length > 16) return status(SW.WRONG_LENGTH);
    const app =
      ctx.applications.find((a) => a.aid.length === cmd.data.length && startsWith(a.aid, cmd.data)) ??
      ctx.applications.find((a) => startsWith(a.aid, cmd.data));
    if (!app) return status(SW.FILE_NOT_FOUND);
    session.app = app;
    session.currentEf = undefined;
    session.verified.clear();
    return status(SW.OK);
  }
  if (cmd.p1 === 0x02) {
    if (cmd.data.length !== 2) return status(SW.WRONG_LENGTH);
    const ef = session.app?.ef(((cmd.data[0] as number) << 8) | (cmd.data[1] as number));
    if (!ef) return status(SW.FILE_NOT_FOUND);
    session.currentEf = ef;
    return status(SW.OK);
  }
  return status(SW.WRONG_P1P2);
}

/** READ BINARY: `00 B0 <offset hi> <offset lo> <Le>` (15-bit offset) or `00 B0 <80|SFI> <offset> <Le>`. */
export function readBinary(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.data.length > 0 || cmd.ne === undefined) return status(SW.WRONG_LENGTH);
  const { session } = ctx;
  let ef: ElementaryFile | undefined;
  let offset: number;
  if (cmd.p1 & 0x80) {
    const sfi = cmd.p1 & 0x1f;
    if (cmd.p1 & 0x60 || sfi === 0 || sfi === 0x1f) return status(SW.WRONG_P1P2);
    ef = session.app?.ef(sfi);
    if (!ef) return status(SW.FILE_NOT_FOUND);
    session.currentEf = ef;
    offset = cmd.p2;
  } else {
    ef = session.currentEf;
    if (!ef) return status(SW.CONDITIONS_NOT_SATISFIED);
    offset = (cmd.p1 << 8) | cmd.p2;
  }
  if (ef.kind !== "binary") return status(SW.INCOMPATIBLE_FILE);
  if (!readAllowed(ef, session)) return status(SW.SECURITY_NOT_SATISFIED);
  if (offset >= ef.content.length) return status(SW.WRONG_OFFSET);
  return buildResponse(SW.OK, ef.content.subarray(offset, Math.min(ef.content.length, offset + cmd.ne)));
}

/**
 * VERIFY: `00 20 00 80 Lc <PIN>`, or `00 20 00 80` alone to ask the tries left without spending one.
 * Answers 9000, 63Cx (x tries left, 63C0 on the failure that exhausts the counter), 6984 once
 * blocked, 6985 while the card is issuance-locked, 6700 for a value outside the PIN's length range.
 */
export function verify(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 !== 0x00) return status(SW.WRONG_P1P2);
  if (cmd.ne !== undefined) return status(SW.WRONG_LENGTH);
  const ef = resolveReference(cmd.p2, ctx);
  if (typeof ef === "number") return status(ef);
  if (ef.kind !== "pin") return status(SW.INCOMPATIBLE_FILE);
  if (ctx.locked) return status(SW.CONDITIONS_NOT_SATISFIED);
  const pin = ef.pin;
  if (cmd.data.length === 0) return status(swTriesLeft(pin.remaining));
  const outcome = pin.verify(cmd.data);
  switch (outcome.result) {
    case "ok":
      ctx.session.verified.add(pin);
      return status(SW.OK);
    case "wrong":
      ctx.session.verified.delete(pin);
      return status(swTriesLeft(outcome.remaining));
    case "blocked":
      ctx.session.verified.delete(pin);
      return status(SW.BLOCKED);
    case "bad-length":
      return status(SW.WRONG_LENGTH);
  }
}

/**
 * CHANGE REFERENCE DATA: `00 24 01 80 Lc <new PIN>`, after a successful VERIFY of the same PIN in
 * this session (else 6982). A new value of the wrong length answers 6700, one with characters the
 * PIN does not allow 6A80; both leave the PIN unchanged. The card-face keys (照合番号A/B, the
 * birth-date key) and the blocked EF 0012 cannot be changed: 6985 (an assumption, docs/jpki.md).
 */
export function changeReferenceData(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 !== 0x01) return status(SW.WRONG_P1P2);
  if (cmd.ne !== undefined || cmd.data.length === 0) return status(SW.WRONG_LENGTH);
  const ef = resolveReference(cmd.p2, ctx);
  if (typeof ef === "number") return status(ef);
  if (ef.kind !== "pin") return status(SW.INCOMPATIBLE_FILE);
  if (ctx.locked) return status(SW.CONDITIONS_NOT_SATISFIED);
  const pin = ef.pin;
  if (pin.policy.fixed === true) return status(SW.CONDITIONS_NOT_SATISFIED);
  if (pin.blocked) return status(SW.BLOCKED);
  if (!ctx.session.verified.has(pin)) return status(SW.SECURITY_NOT_SATISFIED);
  const problem = pinFormatProblem(pin.policy, String.fromCharCode(...cmd.data));
  if (problem === "length") return status(SW.WRONG_LENGTH);
  if (problem === "charset") return status(SW.WRONG_DATA);
  pin.change(cmd.data);
  return status(SW.OK);
}
