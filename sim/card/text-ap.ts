/**
 * 券面事項入力補助AP (card-input support AP), FACTS.md §2.1 (AID) and §2.3 (EFs).
 *
 * Implemented: EF 0001 (My Number, `FF10`, 17 bytes), EF 0002 (4 basic facts, `FF20`), both
 * readable after VERIFY of the PIN EF 0011 (4 digits, 3 tries), which CHANGE REFERENCE DATA can
 * replace. Not implemented (SELECT answers 6A82): 0003 integrity record, 0004 card-verifiable
 * certificate, 0005 AP info, 0006/0007 session and signed public keys, 0012 (blocked at issuance),
 * 0014/0015 照合番号A/B (their retry limits are not in FACTS) — so the PIN is the only key here —
 * and this AP's own signing key and secure messaging.
 * @module
 */
import type { Application, ElementaryFile } from "./application.js";
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
}

/** Build the 券面事項入力補助 application DF. */
export function createTextAp(contents: TextApContents): Application {
  const files = new Map<number, ElementaryFile>();
  files.set(TEXT_EF.MY_NUMBER, {
    kind: "binary",
    id: TEXT_EF.MY_NUMBER,
    content: encodeMyNumberEf(contents.myNumber),
    readGuard: contents.pin,
  });
  files.set(TEXT_EF.BASIC_FACTS, {
    kind: "binary",
    id: TEXT_EF.BASIC_FACTS,
    content: encodeBasicFactsEf(contents.basicFacts),
    readGuard: contents.pin,
  });
  files.set(TEXT_EF.PIN, { kind: "pin", id: TEXT_EF.PIN, pin: contents.pin });
  return { name: "TEXT", aid: TEXT_AID, ef: (id) => files.get(id) };
}
