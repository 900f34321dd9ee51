import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { MyNumberCard } from "./card.js";
import { digestInfoFor } from "./digest-info.js";
import { CardInputError } from "./errors.js";
import { fromHex, toHex } from "./hex.js";
import { SW } from "./status-words.js";
import { Transcript, makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

const SELECT_JPKI = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";

describe("issuance lock", () => {
  it("a freshly personalised card refuses VERIFY, CHANGE and signing with 6985 until hand-over", () => {
    const card = new MyNumberCard(fx.personalisation());
    expect(card.locked).toBe(true);
    const t = new Transcript(card);
    expect(t.send(SELECT_JPKI).sw).toBe(SW.OK);
    t.send("00 A4 02 0C 02 00 0A");
    expect(t.send("00 B0 00 00 04").sw).toBe(SW.OK); // free EFs stay readable
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("69 85");
    expect(toHex(t.send("00 20 00 80 04 31 32 33 34").raw)).toBe("69 85");
    expect(toHex(t.send("00 24 01 80 04 31 32 33 34").raw)).toBe("69 85");
    t.send("00 A4 02 0C 02 00 17");
    const di = digestInfoFor("sha256", Uint8Array.of(1));
    expect(toHex(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).raw)).toBe("69 85");
    t.send("00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08");
    t.send("00 A4 02 0C 02 00 11");
    expect(toHex(t.send("00 20 00 80 04 35 36 37 38").raw)).toBe("69 85");
    expect(card.triesLeft("auth")).toBe(3); // nothing spent while locked

    card.unlockAtCounter({ auth: "2468", sign: "RESIDENT2024", text: "1357" });
    expect(card.locked).toBe(false);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80 04 31 32 33 34").raw)).toBe("63 C2"); // factory PIN replaced
    expect(toHex(t.send("00 20 00 80 04 32 34 36 38").raw)).toBe("90 00");
    t.send("00 A4 02 0C 02 00 17");
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).sw).toBe(SW.OK);
  });

  it("counter procedures validate their input and change nothing on error", () => {
    const card = new MyNumberCard(fx.personalisation());
    expect(() => card.unlockAtCounter({ auth: "12345" })).toThrow(CardInputError);
    expect(() => card.unlockAtCounter({ sign: "short" })).toThrow(/signature password/);
    expect(card.locked).toBe(true);
    card.unlockAtCounter();
    expect(() => card.resetPinAtCounter("auth", "12a4")).toThrow(CardInputError);
    try {
      card.resetPinAtCounter("sign", "lowercase1");
    } catch (e) {
      expect((e as CardInputError).code).toBe("E_CARD_INPUT");
    }
    const child = new MyNumberCard(
      fx.personalisation({
        hasSignatureCert: false,
        signCert: undefined,
        signKey: undefined,
        pins: { auth: "1234", text: "5678" },
      }),
    );
    expect(() => child.resetPinAtCounter("sign", "ABCDEF")).toThrow(/no signature password/);
    expect(() => child.unlockAtCounter({ sign: "ABCDEF" })).toThrow(CardInputError);
  });
});

describe("personalisation checks", () => {
  it("rejects malformed records with CardInputError", () => {
    const bad: [string, Parameters<CardFixture["personalisation"]>[0]][] = [
      ["short My Number", { myNumber: "12345" }],
      ["bad auth PIN", { pins: { auth: "12", sign: "ABCDEF", text: "5678" } }],
      ["bad sign PIN", { pins: { auth: "1234", sign: "abcdef", text: "5678" } }],
      ["bad birth date", { basicFacts: { name: "A", address: "B", birthDate: "19901301", sex: "1" } }],
      ["key/cert mismatch", { authKey: fx.signKey }],
      ["not a certificate", { authCert: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00) }],
      ["sign cert missing", { signCert: undefined }],
      ["sign key given to a child", { hasSignatureCert: false }],
    ];
    for (const [what, overrides] of bad) {
      expect(() => new MyNumberCard(fx.personalisation(overrides)), what).toThrow(CardInputError);
    }
  });

  it("exposes no private key material", () => {
    const card = new MyNumberCard(fx.personalisation());
    const visible = JSON.stringify(card) + Object.getOwnPropertyNames(Object.getPrototypeOf(card)).join(",");
    expect(visible).not.toMatch(/PRIVATE KEY/);
    expect(Object.keys(card)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(card)).sort()).toEqual(
      [
        "cardFace",
        "cardId",
        "constructor",
        "hasSignatureCert",
        "locked",
        "reset",
        "resetCodeAtCounter",
        "resetPinAtCounter",
        "seal",
        "stateVersion",
        "transmit",
        "triesLeft",
        "unlockAtCounter",
      ].sort(),
    );
  });
});

describe("status words for malformed and out-of-order APDUs", () => {
  const card = () => {
    const c = new MyNumberCard(fx.personalisation());
    c.unlockAtCounter();
    return c;
  };
  const cases: [string, string[], string][] = [
    ["empty", [""], "67 00"],
    ["3 bytes", ["00 A4 04"], "67 00"],
    ["extended Lc", ["00 A4 04 0C 00 00 0A D3 92 F0 00 26 01 00 00 00 01"], "67 00"],
    ["extended Le", ["00 B0 00 00 00 01 00"], "67 00"],
    ["Lc longer than data", ["00 A4 02 0C 05 00 0A"], "67 00"],
    ["Lc shorter than data", ["00 A4 02 0C 01 00 0A 00 00"], "67 00"],
    ["secure messaging READ (CLA 0C)", ["0C B0 00 00 04"], "69 FC"],
    ["secure messaging VERIFY (CLA 08)", ["08 20 00 80"], "69 FC"],
    ["secure messaging SELECT (CLA 0C)", ["0C A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"], "68 82"],
    ["unknown CLA", ["A0 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"], "6E 00"],
    ["chained CLA 10", ["10 20 00 80"], "6E 00"],
    ["unknown INS", ["00 CA 00 00 00"], "6D 00"],
    ["GET CHALLENGE not modelled", ["00 84 00 00 08"], "6D 00"],
    ["proprietary INS under CLA 80", ["80 AE 00 00"], "6D 00"],
    ["sign INS under CLA 00", ["00 2A 00 80 01 00 00"], "6D 00"],
    ["unknown AID", ["00 A4 04 0C 05 A0 00 00 00 01"], "6A 82"],
    ["AID longer than 16", ["00 A4 04 0C 11 " + "D3 ".repeat(17)], "67 00"],
    ["SELECT without data", ["00 A4 04 0C"], "67 00"],
    ["SELECT P1 00 (MF)", ["00 A4 00 00"], "6A 86"],
    ["SELECT P2 04 (FCP)", ["00 A4 04 04 0A D3 92 F0 00 26 01 00 00 00 01"], "6A 86"],
    ["SELECT EF before any AP", ["00 A4 02 0C 02 00 0A"], "6A 82"],
    ["SELECT EF with a 3-byte FID", [SELECT_JPKI, "00 A4 02 0C 03 00 0A 00"], "67 00"],
    ["SELECT unknown EF", [SELECT_JPKI, "00 A4 02 0C 02 00 99"], "6A 82"],
    ["READ BINARY with no EF selected", [SELECT_JPKI, "00 B0 00 00 04"], "69 85"],
    ["READ BINARY before any AP", ["00 B0 00 00 04"], "69 85"],
    ["READ BINARY without Le", [SELECT_JPKI, "00 A4 02 0C 02 00 0A", "00 B0 00 00"], "67 00"],
    ["READ BINARY with data", [SELECT_JPKI, "00 A4 02 0C 02 00 0A", "00 B0 00 00 01 00"], "67 00"],
    ["READ BINARY past the end", [SELECT_JPKI, "00 A4 02 0C 02 00 08", "00 B0 00 03 01"], "6B 00"],
    ["READ BINARY at 7FFF", [SELECT_JPKI, "00 A4 02 0C 02 00 0A", "00 B0 7F FF 01"], "6B 00"],
    ["READ BINARY of a PIN EF", [SELECT_JPKI, "00 A4 02 0C 02 00 18", "00 B0 00 00 04"], "69 81"],
    ["READ BINARY of a key EF", [SELECT_JPKI, "00 A4 02 0C 02 00 17", "00 B0 00 00 04"], "69 81"],
    ["VERIFY with no EF selected", [SELECT_JPKI, "00 20 00 80"], "69 85"],
    ["VERIFY by unknown SFI", [SELECT_JPKI, "00 20 00 85"], "6A 82"],
    ["CHANGE with no data", [SELECT_JPKI, "00 A4 02 0C 02 00 18", "00 24 01 80"], "67 00"],
    ["sign with no EF selected", [SELECT_JPKI, "80 2A 00 80 01 00 00"], "69 85"],
    ["sign with a PIN EF current", [SELECT_JPKI, "00 A4 02 0C 02 00 18", "80 2A 00 80 01 00 00"], "69 85"],
    ["sign without VERIFY", [SELECT_JPKI, "00 A4 02 0C 02 00 17", "80 2A 00 80 01 00 00"], "69 82"],
    ["sign P2 00", [SELECT_JPKI, "00 A4 02 0C 02 00 17", "80 2A 00 00 01 00 00"], "6A 86"],
  ];
  it.each(cases)("%s", (_what, commands, expected) => {
    const c = card();
    let last: Uint8Array = new Uint8Array(0);
    for (const cmd of commands) last = c.transmit(fromHex(cmd));
    expect(toHex(last)).toBe(expected);
  });

  it("a failed SELECT leaves the current AP and EF unchanged; AID prefixes select (JICSAP 4.2)", () => {
    const t = new Transcript(card());
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 08");
    expect(t.send("00 A4 04 0C 03 01 02 03").sw).toBe(SW.FILE_NOT_FOUND);
    expect(t.send("00 A4 02 0C 02 12 34").sw).toBe(SW.FILE_NOT_FOUND);
    expect(toHex(t.send("00 B0 00 00 00").raw)).toBe("8F 8F 00 90 00");
    expect(t.send("00 A4 04 0C 04 D3 92 F0 00").sw).toBe(SW.OK); // prefix of the JPKI AID
    expect(t.send("00 A4 02 0C 02 00 0A").sw).toBe(SW.OK);
    expect(t.send("00 A4 04 0C 05 D3 92 10 00 31").sw).toBe(SW.OK); // prefix of the text AID
    expect(t.send("00 A4 02 0C 02 00 11").sw).toBe(SW.OK);
    expect(t.send("00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01").sw).toBe(SW.OK); // P2 00: no FCI either
  });
});

describe("fuzz: random byte strings", () => {
  it("never throws and always answers at least SW1 SW2, from any state", () => {
    const rand = mulberry32(20240501);
    const c = new MyNumberCard(fx.personalisation());
    c.unlockAtCounter();
    const heads = [
      [0x00, 0xa4],
      [0x00, 0xb0],
      [0x00, 0x20],
      [0x00, 0x24],
      [0x80, 0x2a],
      [0x0c, 0xb0],
    ];
    const statuses = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      // Every 5th command is a real SELECT so the fuzz reaches EF-level handlers.
      if (i % 5 === 0)
        c.transmit(fromHex(i % 10 === 0 ? SELECT_JPKI : "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"));
      const len = Math.floor(rand() * 40) + (rand() < 0.05 ? 250 : 0);
      const bytes = new Uint8Array(len);
      for (let j = 0; j < len; j++) bytes[j] = Math.floor(rand() * 256);
      if (len >= 2 && rand() < 0.6) bytes.set(heads[Math.floor(rand() * heads.length)] as number[], 0);
      let r: Uint8Array = new Uint8Array(0);
      expect(() => {
        r = c.transmit(bytes);
      }).not.toThrow();
      expect(r.length).toBeGreaterThanOrEqual(2);
      statuses.add(toHex(r.subarray(r.length - 2)));
    }
    expect(statuses.has("6F 00")).toBe(false); // no internal error path was hit
    expect(statuses.size).toBeGreaterThan(5);
  });
});

describe("non-volatile state version (what a file-backed card writes before answering)", () => {
  it("moves on a spent try, a reset counter, a PIN change and the hand-over — and only then", () => {
    const card = new MyNumberCard(fx.personalisation());
    const v0 = card.stateVersion;
    card.unlockAtCounter();
    const v1 = card.stateVersion;
    expect(v1).toBeGreaterThan(v0);
    const t = new Transcript(card);
    t.send("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
    t.send("00 A4 02 0C 02 00 18");
    t.send("00 20 00 80"); // query
    t.send("00 20 00 80 04 31 32 33 34"); // right PIN with a full counter: nothing to write
    expect(card.stateVersion).toBe(v1);
    t.send("00 20 00 80 04 30 30 30 30"); // wrong: a try spent
    const v2 = card.stateVersion;
    expect(v2).toBeGreaterThan(v1);
    t.send("00 20 00 80 04 31 32 33 34"); // right: the counter is reset
    const v3 = card.stateVersion;
    expect(v3).toBeGreaterThan(v2);
    expect(t.send("00 24 01 80 04 39 38 37 36").sw).toBe(SW.OK); // CHANGE REFERENCE DATA (verified above)
    expect(card.stateVersion).toBeGreaterThan(v3);
    expect(card.cardId).toMatch(/^[0-9a-f]{32}$/);
  });
});
