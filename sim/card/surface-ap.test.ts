import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCardRecord, encodeCardRecord } from "./card-record.js";
import { CardFile } from "./card-file.js";
import { loadCard, saveCard } from "./card-store.js";
import { MyNumberCard } from "./card.js";
import { toHex } from "./hex.js";
import { SW } from "./status-words.js";
import { FIXTURE_FACTS, Transcript, makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

const SELECT_SURFACE = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02";
const FACE = { expiry: "20350217", securityCode: "4321", municipalityCode: "13101" } as const;
/** Born 1990-02-17 = 平成2年 → 020217; 照合番号B = 020217 ‖ 2035 ‖ 4321. */
const BIRTH_KEY = "020217";
const CODE_A = "123456789018";
const CODE_B = "02021720354321";
const FAST = { N: 1 << 10, r: 8, p: 1 };

const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const verifyApdu = (s: string) => `00 20 00 80 ${s.length.toString(16).padStart(2, "0")} ${ascii(s)}`;

/** A minimal plaintext card record (card-record.ts) carrying card-face fields. */
function sampleRecord(): Uint8Array {
  return encodeCardRecord({
    recordVersion: 2,
    generation: 0,
    myNumber: CODE_A,
    basicFacts: FIXTURE_FACTS,
    hasSignatureCert: false,
    tokenSerial: "",
    pins: {},
    triesLeft: {},
    codeTriesLeft: { surfaceCodeA: 4 },
    cardFace: FACE,
    locked: false,
    authKey: new Uint8Array(1),
    authCert: new Uint8Array(1),
    authCaCert: new Uint8Array(1),
  });
}

function issued(): { card: MyNumberCard; t: Transcript } {
  const card = new MyNumberCard(fx.personalisation({ cardFace: FACE }));
  card.unlockAtCounter();
  return { card, t: new Transcript(card) };
}

/** READ BINARY of `fid` in the selected AP: status word and data. */
function read(t: Transcript, fid: string): { sw: number; data: Uint8Array } {
  expect(t.send(`00 A4 02 0C 02 ${fid}`).sw).toBe(SW.OK);
  return t.send("00 B0 00 00 00");
}

describe("券面事項確認AP (FACTS §2.1, §2.3)", () => {
  it("selects by its AID; 0003 is free, everything else needs a key (6982)", () => {
    const { t } = issued();
    expect(t.send(SELECT_SURFACE).sw).toBe(SW.OK);
    expect(toHex(read(t, "00 03").data)).toBe(`FF 30 08 DF 34 05 ${ascii("13101")}`);
    for (const fid of ["00 01", "00 02", "00 05", "00 06"])
      expect(read(t, fid).sw).toBe(SW.SECURITY_NOT_SATISFIED);
    // Not modelled: the AP's card-verifiable certificate.
    expect(t.send("00 A4 02 0C 02 00 04").sw).toBe(SW.FILE_NOT_FOUND);
  });

  it("the birth-date key (era YYMMDD) opens the age record and nothing else", () => {
    const { t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 11");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 CA");
    expect(t.send(verifyApdu(BIRTH_KEY)).sw).toBe(SW.OK);
    const age = read(t, "00 01");
    expect(age.sw).toBe(SW.OK);
    expect(toHex(age.data)).toBe(`FF 10 0B DF 11 08 ${ascii(FIXTURE_FACTS.birthDate)}`);
    for (const fid of ["00 02", "00 05", "00 06"]) expect(read(t, fid).sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });

  it("照合番号B opens the card face (0002, 0006) but not the My Number (0005)", () => {
    const { t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 12");
    expect(t.send(verifyApdu(CODE_B)).sw).toBe(SW.OK);
    const face = read(t, "00 02");
    expect(face.sw).toBe(SW.OK);
    const text = new TextDecoder().decode(face.data);
    expect(text).toContain(FIXTURE_FACTS.name);
    expect(text).toContain(FIXTURE_FACTS.address);
    expect(text).toContain(FACE.expiry);
    expect(read(t, "00 06").data).toEqual(new Uint8Array(16).fill(0xff));
    expect(read(t, "00 05").sw).toBe(SW.SECURITY_NOT_SATISFIED);
    expect(read(t, "00 01").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });

  it("照合番号A opens the card face and the My Number as printed", () => {
    const { t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 13");
    expect(t.send(verifyApdu(CODE_A)).sw).toBe(SW.OK);
    expect(read(t, "00 02").sw).toBe(SW.OK);
    expect(toHex(read(t, "00 05").data)).toBe(`FF 40 0F DF 41 0C ${ascii(CODE_A)}`);
  });

  it("each key has its own counter: 10 tries, 63Cx, 63C0, then 6984; a wrong length spends nothing (6700)", () => {
    const { card, t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 13");
    expect(t.send(verifyApdu("12345")).sw).toBe(SW.WRONG_LENGTH);
    const answers = Array.from({ length: 11 }, () => toHex(t.send(verifyApdu("000000000000")).raw));
    expect(answers).toEqual([
      "63 C9",
      "63 C8",
      "63 C7",
      "63 C6",
      "63 C5",
      "63 C4",
      "63 C3",
      "63 C2",
      "63 C1",
      "63 C0",
      "69 84",
    ]);
    expect(toHex(t.send(verifyApdu(CODE_A)).raw)).toBe("69 84"); // blocked: the right value no longer opens it
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C0");
    expect(card.triesLeft("surfaceCodeA")).toBe(0);
    // Other keys are untouched, including the text AP's 照合番号A (a separate key reference).
    expect(card.triesLeft("surfaceCodeB")).toBe(10);
    expect(card.triesLeft("textCodeA")).toBe(10);
    t.send("00 A4 02 0C 02 00 12");
    expect(t.send(verifyApdu(CODE_B)).sw).toBe(SW.OK);
    // The counter resets the blocked key; its value (printed on the card) is unchanged.
    card.resetCodeAtCounter("surfaceCodeA");
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 13");
    expect(t.send(verifyApdu(CODE_A)).sw).toBe(SW.OK);
  });

  it("a correct value resets the counter; CHANGE REFERENCE DATA cannot replace a card-face key (6985)", () => {
    const { card, t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 11");
    t.send(verifyApdu("999999"));
    t.send(verifyApdu("999999"));
    expect(card.triesLeft("surfaceBirthDate")).toBe(8);
    expect(t.send(verifyApdu(BIRTH_KEY)).sw).toBe(SW.OK);
    expect(card.triesLeft("surfaceBirthDate")).toBe(10);
    const before = card.stateVersion;
    expect(t.send(`00 24 01 80 06 ${ascii("111111")}`).sw).toBe(SW.CONDITIONS_NOT_SATISFIED);
    expect(card.stateVersion).toBe(before);
    expect(t.send(verifyApdu(BIRTH_KEY)).sw).toBe(SW.OK);
  });

  it("while issuance-locked every key answers 6985 and spends nothing; free EFs stay readable", () => {
    const card = new MyNumberCard(fx.personalisation({ cardFace: FACE }));
    const t = new Transcript(card);
    t.send(SELECT_SURFACE);
    expect(read(t, "00 03").sw).toBe(SW.OK);
    t.send("00 A4 02 0C 02 00 13");
    expect(t.send(verifyApdu("000000000000")).sw).toBe(SW.CONDITIONS_NOT_SATISFIED);
    expect(card.triesLeft("surfaceCodeA")).toBe(10);
  });

  it("re-selecting the AP clears the verified keys", () => {
    const { t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 13");
    t.send(verifyApdu(CODE_A));
    t.send(SELECT_SURFACE);
    expect(read(t, "00 05").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });

  it("counters survive seal/load and are written to the card file before the answer", () => {
    const { card, t } = issued();
    t.send(SELECT_SURFACE);
    t.send("00 A4 02 0C 02 00 12");
    t.send(verifyApdu("00000000000000"));
    t.send(verifyApdu("00000000000000"));
    const again = loadCard(saveCard(card, "pw", FAST), "pw");
    expect(again.triesLeft("surfaceCodeB")).toBe(8);
    expect(again.cardFace).toEqual(FACE);
    const dir = mkdtempSync(join(tmpdir(), "myna-surface-"));
    try {
      const file = join(dir, "c.card");
      const cf = CardFile.create(file, again, "pw", { params: FAST });
      cf.transmit(Uint8Array.from(Buffer.from(SELECT_SURFACE.replace(/ /g, ""), "hex")));
      cf.transmit(Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x11));
      const wrong = Buffer.from(verifyApdu("999999").replace(/ /g, ""), "hex");
      expect(toHex(cf.transmit(Uint8Array.from(wrong)))).toBe("63 C9");
      // Before close(): the file on disk already holds the spent try.
      const onDisk = loadCard(readFileSync(file), "pw");
      expect(onDisk.triesLeft("surfaceBirthDate")).toBe(9);
      expect(onDisk.triesLeft("surfaceCodeB")).toBe(8);
      cf.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a saved record with malformed card-face fields is refused with a typed error", () => {
    expect(decodeCardRecord(sampleRecord())).toMatchObject({
      codeTriesLeft: { surfaceCodeA: 4 },
      cardFace: FACE,
    });
    const good = JSON.parse(new TextDecoder().decode(sampleRecord())) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) =>
      new TextEncoder().encode(JSON.stringify({ ...good, ...patch }));
    expect(() => decodeCardRecord(bad({ codeTriesLeft: { surfaceCodeA: 1.5 } }))).toThrow(
      /codeTriesLeft.surfaceCodeA must be a whole number/,
    );
    expect(() => decodeCardRecord(bad({ cardFace: "x" }))).toThrow(/cardFace must be an object/);
    expect(() => decodeCardRecord(bad({ cardFace: { expiry: "20350217" } }))).toThrow(
      /securityCode must be a string/,
    );
    // Files written before the 券面事項確認AP (no such fields) still load, with full counters.
    const old = bad({ codeTriesLeft: undefined, cardFace: undefined });
    expect(decodeCardRecord(old).codeTriesLeft).toBeUndefined();
  });

  it("refuses malformed card-face data with one message naming the field", () => {
    expect(
      () => new MyNumberCard(fx.personalisation({ cardFace: { ...FACE, securityCode: "12a4" } })),
    ).toThrow(/cardFace\.securityCode: expected 4 digits, got "12a4"/);
    expect(
      () => new MyNumberCard(fx.personalisation({ cardFace: { ...FACE, expiry: "2035-02-17" } })),
    ).toThrow(/cardFace\.expiry: expected YYYYMMDD/);
  });
});
