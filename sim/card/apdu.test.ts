import { describe, expect, it } from "vitest";
import { buildResponse, encodeCommand, parseCommand, parseResponse } from "./apdu.js";
import {
  changeReferenceDataCommand,
  computeSignatureCommand,
  readBinaryCommand,
  selectAidCommand,
  selectEfCommand,
  verifyCommand,
} from "./commands.js";
import { fromHex, toHex } from "./hex.js";
import { JPKI_AID } from "./ids.js";
import { SW, swToString, swTriesLeft, triesLeftOf } from "./status-words.js";
import { InputError } from "../../engine/errors.js";

describe("parseCommand (ISO 7816-4 short cases)", () => {
  it("recognises cases 1-4 and Le 00 = 256", () => {
    expect(parseCommand(fromHex("00 20 00 80"))).toMatchObject({
      ok: true,
      command: { case: 1, ne: undefined },
    });
    expect(parseCommand(fromHex("00 B0 00 00 00"))).toMatchObject({
      ok: true,
      command: { case: 2, ne: 256 },
    });
    expect(parseCommand(fromHex("00 B0 00 04 10"))).toMatchObject({
      ok: true,
      command: { case: 2, ne: 16, p2: 4 },
    });
    const c3 = parseCommand(fromHex("00 A4 02 0C 02 00 18"));
    expect(c3.ok && toHex(c3.command.data)).toBe("00 18");
    expect(c3.ok && c3.command.case).toBe(3);
    expect(parseCommand(fromHex("80 2A 00 80 01 AA 00"))).toMatchObject({
      ok: true,
      command: { case: 4, ne: 256 },
    });
  });

  it("answers 6700 for short headers, extended lengths and inconsistent Lc", () => {
    for (const h of [
      "",
      "00",
      "00 A4 04",
      "00 A4 04 0C 00 00 01 AA",
      "00 B0 00 00 00 01 00",
      "00 A4 02 0C 03 00 18",
    ]) {
      expect(parseCommand(fromHex(h)), h).toEqual({ ok: false, sw: SW.WRONG_LENGTH });
    }
  });

  it("round-trips encodeCommand", () => {
    for (const f of [
      { cla: 0, ins: 0x20, p1: 0, p2: 0x80 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 256 },
      { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(0, 0x0a) },
      { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: new Uint8Array(255).fill(7), ne: 256 },
    ]) {
      const r = parseCommand(encodeCommand(f));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.command).toMatchObject({ cla: f.cla, ins: f.ins, p1: f.p1, p2: f.p2, ne: f.ne });
    }
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(
      RangeError,
    );
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 0 })).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(RangeError);
  });

  it("the command builders produce FACTS §2.4's bytes", () => {
    expect(toHex(selectAidCommand(JPKI_AID))).toBe("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
    expect(toHex(selectEfCommand(0x0018))).toBe("00 A4 02 0C 02 00 18");
    expect(toHex(readBinaryCommand(0, 4))).toBe("00 B0 00 00 04");
    expect(toHex(readBinaryCommand(0x104, 256))).toBe("00 B0 01 04 00");
    expect(toHex(verifyCommand())).toBe("00 20 00 80");
    expect(toHex(verifyCommand("1234"))).toBe("00 20 00 80 04 31 32 33 34");
    expect(toHex(changeReferenceDataCommand("5678"))).toBe("00 24 01 80 04 35 36 37 38");
    expect(toHex(computeSignatureCommand(Uint8Array.of(0xaa)))).toBe("80 2A 00 80 01 AA 00");
    expect(() => readBinaryCommand(0x8000, 1)).toThrow(RangeError);
  });
});

describe("responses, status words, hex", () => {
  it("builds and splits responses", () => {
    expect(toHex(buildResponse(SW.OK))).toBe("90 00");
    expect(toHex(buildResponse(0x63c2))).toBe("63 C2");
    expect(toHex(buildResponse(SW.OK, Uint8Array.of(0x8f, 0x8f, 0)))).toBe("8F 8F 00 90 00");
    expect(parseResponse(fromHex("30 82 06 2B 90 00"))).toEqual({ data: fromHex("30 82 06 2B"), sw: 0x9000 });
    expect(parseResponse(new Uint8Array(1)).sw).toBe(0x6f00);
  });

  it("encodes 63Cx", () => {
    expect(swToString(swTriesLeft(3))).toBe("63C3");
    expect(swToString(swTriesLeft(0))).toBe("63C0");
    expect(triesLeftOf(0x63c4)).toBe(4);
    expect(triesLeftOf(0x6984)).toBeUndefined();
  });

  it("parses and prints hex", () => {
    expect(toHex(fromHex("d392f0:00-26 01"))).toBe("D3 92 F0 00 26 01");
    expect(toHex(fromHex("0a0b"), "")).toBe("0A0B");
    expect(() => fromHex("abc")).toThrow(InputError);
    expect(() => fromHex("zz")).toThrow(/0-9, A-F/);
  });
});
