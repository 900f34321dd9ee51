/**
 * 券面事項確認AP (card-face confirmation AP), FACTS.md §2.1 (AID `D3 92 10 00 31 00 01 01 04 02`)
 * and §2.3 (EFs); which key opens which EF as measured on real cards by soltia48/myna-card
 * (`src/ap/surface.rs`: 照合番号A reaches 0002–0006, 照合番号B the same without 0005).
 *
 * | EF   | content                                       | READ BINARY after VERIFY of       |
 * |------|-----------------------------------------------|-----------------------------------|
 * | 0001 | age record: birth date (card-face.ts)         | birth-date key 0011               |
 * | 0002 | card face: birth date, sex, name, address, expiry | 照合番号A 0013 or 照合番号B 0012 |
 * | 0003 | AP basic information                          | free                              |
 * | 0005 | the My Number as printed                      | 照合番号A only                     |
 * | 0006 | sixteen `FF` bytes (unidentified)             | 照合番号A or B                     |
 * | 0011 | birth-date key: era YYMMDD, 6 digits          | —                                 |
 * | 0012 | 照合番号B: 14 digits                           | —                                 |
 * | 0013 | 照合番号A: the 12-digit My Number              | —                                 |
 *
 * The three keys have retry counters (card-face keys, pin.ts `CODE_POLICIES`) and cannot be
 * changed. Not modelled (6A82): 0004, the AP's card-verifiable certificate, and the AP's signing
 * key — J-LIS card-face keys the personalisation does not have (docs/jpki.md).
 * @module
 */
import type { Application, ElementaryFile } from "./application.js";
import {
  UNIDENTIFIED_EF,
  encodeAgeRecord,
  encodeApInfo,
  encodeCardFaceRecord,
  encodeMyNumberFace,
} from "./card-face.js";
import type { CardFaceData } from "./card-face.js";
import { SURFACE_AID, SURFACE_EF } from "./ids.js";
import type { PinReference } from "./pin.js";
import type { BasicFacts } from "./text-records.js";

/** What the 券面事項確認AP is built from. */
export interface SurfaceApContents {
  /** The 12-digit individual number. */
  readonly myNumber: string;
  /** The 4 basic facts. */
  readonly basicFacts: BasicFacts;
  /** Expiry, security code, municipality. */
  readonly face: CardFaceData;
  /** Birth-date key (EF 0011). */
  readonly birthDateKey: PinReference;
  /** 照合番号B (EF 0012). */
  readonly codeB: PinReference;
  /** 照合番号A (EF 0013). */
  readonly codeA: PinReference;
}

/** Build the 券面事項確認 application DF. */
export function createSurfaceAp(c: SurfaceApContents): Application {
  const files = new Map<number, ElementaryFile>();
  const add = (ef: ElementaryFile) => files.set(ef.id, ef);
  const f = c.basicFacts;
  add({
    kind: "binary",
    id: SURFACE_EF.AGE,
    content: encodeAgeRecord(f.birthDate),
    readGuard: c.birthDateKey,
  });
  add({
    kind: "binary",
    id: SURFACE_EF.FACE,
    content: encodeCardFaceRecord({ ...f, expiry: c.face.expiry }),
    readGuard: [c.codeA, c.codeB],
  });
  add({ kind: "binary", id: SURFACE_EF.AP_INFO, content: encodeApInfo(c.face.municipalityCode) });
  add({
    kind: "binary",
    id: SURFACE_EF.MY_NUMBER,
    content: encodeMyNumberFace(c.myNumber),
    readGuard: c.codeA,
  });
  add({
    kind: "binary",
    id: SURFACE_EF.UNKNOWN_0006,
    content: UNIDENTIFIED_EF,
    readGuard: [c.codeA, c.codeB],
  });
  add({ kind: "pin", id: SURFACE_EF.BIRTH_DATE_KEY, pin: c.birthDateKey });
  add({ kind: "pin", id: SURFACE_EF.CODE_B, pin: c.codeB });
  add({ kind: "pin", id: SURFACE_EF.CODE_A, pin: c.codeA });
  return { name: "SURFACE", aid: SURFACE_AID, ef: (id) => files.get(id) };
}
