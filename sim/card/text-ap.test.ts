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
