import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MyNumberCard } from "./card.js";
import { toHex } from "./hex.js";
import { SW } from "./status-words.js";
import { FIXTURE_FACTS, Transcript, makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";
import { decodeBasicFactsEf, decodeMyNumberEf, encodeBasicFactsEf } from "./text-records.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

const SELECT_TEXT = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";

function issued(): { card: MyNumberCard; t: Transcript } {
  const card = new MyNumberCard(fx.personalisation());
  card.unlockAtCounter();
  return { card, t: new Transcript(card) };
}

describe("券面事項入力補助AP (FACTS §2.3)", () => {
  it("reads the My Number (FF10, 17 bytes) and the 4 basic facts after VERIFY of EF 0011", () => {
    const { t } = issued();
    expect(t.send(SELECT_TEXT).sw).toBe(SW.OK);
    t.send("00 A4 02 0C 02 00 01");
    expect(toHex(t.send("00 B0 00 00 11").raw)).toBe("69 82");
    t.send("00 A4 02 0C 02 00 11");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80 04 35 36 37 38").raw)).toBe("90 00");
    t.send("00 A4 02 0C 02 00 01");
    const mn = t.send("00 B0 00 00 11");
    expect(mn.sw).toBe(SW.OK);
    expect(toHex(mn.data)).toBe("FF 10 0C 31 32 33 34 35 36 37 38 39 30 31 38 FF FF");
    expect(decodeMyNumberEf(mn.data)).toBe("123456789018");
    t.send("00 A4 02 0C 02 00 02");
    const facts = t.send("00 B0 00 00 00");
    expect(facts.sw).toBe(SW.OK);
    expect(facts.data.subarray(0, 2)).toEqual(Uint8Array.of(0xff, 0x20));
    expect(decodeBasicFactsEf(facts.data)).toEqual(FIXTURE_FACTS);
  });

  it("lays out EF 0002 like a real card: DF21 offsets point at DF22..DF25", () => {
    const ef = encodeBasicFactsEf({ name: "ABC", address: "XY", birthDate: "20000101", sex: "1" });
    expect(toHex(ef)).toBe(
      "FF 20 25 DF 21 08 00 0E 00 14 00 19 00 24 DF 22 03 41 42 43 DF 23 02 58 59 DF 24 08 32 30 30 30 30 31 30 31 DF 25 01 31",
    );
    // Long addresses take a long-form length; offsets still match.
    const long = { name: "N", address: "あ".repeat(60), birthDate: "19991231", sex: "9" } as const;
    expect(decodeBasicFactsEf(encodeBasicFactsEf(long))).toEqual(long);
  });

  it("its PIN locks independently of the JPKI PINs: 63C2, 63C1, 63C0, 6984", () => {
    const { card, t } = issued();
    t.send(SELECT_TEXT);
    t.send("00 A4 02 0C 02 00 11");
    const answers = [1, 2, 3, 4].map(() => toHex(t.send("00 20 00 80 04 30 30 30 30").raw));
    expect(answers).toEqual(["63 C2", "63 C1", "63 C0", "69 84"]);
    expect(card.triesLeft("text")).toBe(0);
    expect(card.triesLeft("auth")).toBe(3);
    card.resetPinAtCounter("text", "9999");
    t.send(SELECT_TEXT);
    t.send("00 A4 02 0C 02 00 11");
    expect(toHex(t.send("00 20 00 80 04 39 39 39 39").raw)).toBe("90 00");
    expect(toHex(t.send("00 24 01 80 04 31 31 31 31").raw)).toBe("90 00");
  });

  it("EFs it does not model answer 6A82; JPKI EFs are not visible from it", () => {
    const { t } = issued();
    t.send(SELECT_TEXT);
    for (const fid of ["00 04", "00 06", "00 07", "00 0A", "00 18", "00 13"]) {
      expect(t.send(`00 A4 02 0C 02 ${fid}`).sw).toBe(SW.FILE_NOT_FOUND);
    }
    // Signing has no key here.
    t.send("00 A4 02 0C 02 00 11");
    expect(t.send("80 2A 00 80 01 00 00").sw).toBe(SW.CONDITIONS_NOT_SATISFIED);
  });

  it("selecting the JPKI AP clears the text PIN's verified status", () => {
    const { t } = issued();
    t.send(SELECT_TEXT);
    t.send("00 A4 02 0C 02 00 11");
    t.send("00 20 00 80 04 35 36 37 38");
    t.send("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
    t.send(SELECT_TEXT);
    t.send("00 A4 02 0C 02 00 01");
    expect(t.send("00 B0 00 00 11").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });
});

describe("券面事項入力補助AP: 照合番号A/B, EF 0003/0005/0008, the blocked EF 0012", () => {
  const FACE = { expiry: "20350217", securityCode: "4321" } as const;
  const CODE_A = "123456789018";
  const CODE_B = "02021720354321"; // 平成2年2月17日 → 020217, expiry year 2035, code 4321
  const ascii = (s: string) => toHex(new TextEncoder().encode(s));
  const verifyApdu = (s: string) => `00 20 00 80 ${s.length.toString(16).padStart(2, "0")} ${ascii(s)}`;
  const open = () => {
    const card = new MyNumberCard(fx.personalisation({ cardFace: FACE }));
    card.unlockAtCounter();
    const t = new Transcript(card);
    t.send(SELECT_TEXT);
    return { card, t };
  };
  const read = (t: Transcript, fid: string) => {
    expect(t.send(`00 A4 02 0C 02 ${fid}`).sw).toBe(SW.OK);
    return t.send("00 B0 00 00 00");
  };

  it("照合番号A opens 0001 and 0003 but not 0002", () => {
    const { t } = open();
    t.send("00 A4 02 0C 02 00 14");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 CA");
    expect(t.send(verifyApdu(CODE_A)).sw).toBe(SW.OK);
    expect(decodeMyNumberEf(read(t, "00 01").data)).toBe(CODE_A);
    expect(read(t, "00 03").sw).toBe(SW.OK);
    expect(read(t, "00 02").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });

  it("照合番号B opens 0002 and 0003 but not 0001", () => {
    const { t } = open();
    t.send("00 A4 02 0C 02 00 15");
    expect(t.send(verifyApdu(CODE_B)).sw).toBe(SW.OK);
    expect(decodeBasicFactsEf(read(t, "00 02").data)).toEqual(FIXTURE_FACTS);
    expect(read(t, "00 03").sw).toBe(SW.OK);
    expect(read(t, "00 01").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });

  it("EF 0003 holds SHA-256 of EF 0001 (17 physical bytes) and of EF 0002 after its offset table", () => {
    const { t } = open();
    t.send("00 A4 02 0C 02 00 11");
    t.send("00 20 00 80 04 35 36 37 38");
    const mn = read(t, "00 01").data;
    const facts = read(t, "00 02").data;
    const rec = read(t, "00 03").data;
    const sha = (b: Uint8Array) => toHex(createHash("sha256").update(b).digest());
    expect(mn.length).toBe(17);
    expect(toHex(rec)).toBe(`FF 30 46 DF 31 20 ${sha(mn)} DF 32 20 ${sha(facts.subarray(3 + 11))}`);
  });

  it("EF 0005 and 0008 are free; EF 0012 is blocked from issuance: 63C0 and 6984, never 9000", () => {
    const { card, t } = open();
    expect(toHex(read(t, "00 05").data)).toBe("FF 30 00");
    expect(read(t, "00 08").data).toEqual(new Uint8Array(16).fill(0xff));
    t.send("00 A4 02 0C 02 00 12");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C0");
    const before = card.stateVersion;
    expect(toHex(t.send("00 20 00 80 04 35 36 37 38").raw)).toBe("69 84");
    expect(toHex(t.send("00 24 01 80 04 31 31 31 31").raw)).toBe("69 85");
    expect(card.stateVersion).toBe(before);
  });

  it("the PIN, 照合番号A and 照合番号B count separately; CHANGE on a 照合番号 answers 6985", () => {
    const { card, t } = open();
    t.send("00 A4 02 0C 02 00 14");
    expect(toHex(t.send(verifyApdu("000000000000")).raw)).toBe("63 C9");
    t.send("00 A4 02 0C 02 00 15");
    expect(toHex(t.send(verifyApdu("00000000000000")).raw)).toBe("63 C9");
    expect(toHex(t.send(verifyApdu("0000")).raw)).toBe("67 00"); // wrong length, nothing spent
    expect([card.triesLeft("text"), card.triesLeft("textCodeA"), card.triesLeft("textCodeB")]).toEqual([
      3, 9, 9,
    ]);
    expect(t.send(verifyApdu(CODE_B)).sw).toBe(SW.OK);
    expect(toHex(t.send(`00 24 01 80 0E ${ascii("11111111111111")}`).raw)).toBe("69 85");
    expect(card.triesLeft("textCodeB")).toBe(10);
  });
});
