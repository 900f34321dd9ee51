/**
 * 券面事項入力補助AP (card-input support AP), FACTS.md §2.1 (AID) and §2.3 (EFs); which key opens
 * which EF as measured on real cards by soltia48/myna-card (`src/ap/text.rs`).
 *
 * | EF   | content                                         | READ BINARY after VERIFY of        |
 * |------|-------------------------------------------------|------------------------------------|
 * | 0001 | My Number, `FF10`, 17 bytes                     | PIN 0011 or 照合番号A 0014           |
 * | 0002 | 4 basic facts, `FF20`                           | PIN 0011 or 照合番号B 0015           |
 * | 0003 | integrity record (card-face.ts)                 | PIN, 照合番号A or 照合番号B           |
 * | 0005 | AP basic information (card-face.ts)             | free                               |
 * | 0008 | sixteen `FF` bytes (unidentified)               | free                               |
 * | 0011 | PIN: 4 digits, 3 tries, CHANGE REFERENCE DATA   | —                                  |
 * | 0012 | key reference blocked at issuance (63C0 / 6984) | —                                  |
 * | 0014 | 照合番号A: the 12-digit My Number                | —                                  |
 * | 0015 | 照合番号B: era birth date + expiry year + code   | —                                  |
 *
 * 照合番号A opens 0001 and not 0002, 照合番号B 0002 and not 0001; only the PIN opens both. Not
 * modelled (SELECT answers 6A82): 0004 card-verifiable certificate, 0006 session-key public key,
 * 0007 signed public key and the AP's own signing key and secure messaging — they need J-LIS
 * card-face keys the twin's personalisation does not have (docs/jpki.md).
 * @module
 */
import type { Application, ElementaryFile } from "./application.js";
import { UNIDENTIFIED_EF, encodeApInfo, encodeIntegrityRecord } from "./card-face.js";
import { TEXT_AID, TEXT_EF } from "./ids.js";
import type { PinReference } from "./pin.js";
import { encodeBasicFactsEf, encodeMyNumberEf } from "./text-records.js";
import type { BasicFacts } from "./text-records.js";

/** What the 券面事項入力補助AP is built from. */
export interface TextApContents {
  /** The 12-digit individual number. */
  readonly myNumber: string;
  /** The 4 basic facts. */
  readonly basicFacts: BasicFacts;
  /** The card-input-support PIN (EF 0011). */
  readonly pin: PinReference;
  /** 照合番号A (EF 0014). */
  readonly codeA: PinReference;
  /** 照合番号B (EF 0015). */
  readonly codeB: PinReference;
  /** The key reference blocked at issuance (EF 0012). */
  readonly blocked: PinReference;
  /** Municipality code for the AP information (EF 0005), if known. */
  readonly municipalityCode?: string;
}

/** Build the 券面事項入力補助 application DF. */
export function createTextAp(contents: TextApContents): Application {
  const files = new Map<number, ElementaryFile>();
  const add = (ef: ElementaryFile) => files.set(ef.id, ef);
  const { pin, codeA, codeB } = contents;
  const myNumberEf = encodeMyNumberEf(contents.myNumber);
  const factsEf = encodeBasicFactsEf(contents.basicFacts);
  add({ kind: "binary", id: TEXT_EF.MY_NUMBER, content: myNumberEf, readGuard: [pin, codeA] });
  add({ kind: "binary", id: TEXT_EF.BASIC_FACTS, content: factsEf, readGuard: [pin, codeB] });
  add({
    kind: "binary",
    id: TEXT_EF.INTEGRITY,
    content: encodeIntegrityRecord(myNumberEf, factsEf),
    readGuard: [pin, codeA, codeB],
  });
  add({ kind: "binary", id: TEXT_EF.AP_INFO, content: encodeApInfo(contents.municipalityCode) });
  add({ kind: "binary", id: TEXT_EF.UNKNOWN_0008, content: UNIDENTIFIED_EF });
  add({ kind: "pin", id: TEXT_EF.PIN, pin });
  add({ kind: "pin", id: TEXT_EF.BLOCKED, pin: contents.blocked });
  add({ kind: "pin", id: TEXT_EF.CODE_A, pin: codeA });
  add({ kind: "pin", id: TEXT_EF.CODE_B, pin: codeB });
  return { name: "TEXT", aid: TEXT_AID, ef: (id) => files.get(id) };
}
