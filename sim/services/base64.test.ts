import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { decodeBase64Strict } from "./base64.js";

/** The definition decodeBase64Strict must agree with (what the routes tested before). */
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const isStandard = (s: string) => s.length % 4 === 0 && STANDARD.test(s);

describe("decodeBase64Strict", () => {
  it("decodes standard base64 of every length and padding", () => {
    const rnd = mulberry32(11);
    for (let len = 0; len < 70; len++) {
      const bytes = Buffer.from(Array.from({ length: len }, () => Math.floor(rnd() * 256)));
      expect(decodeBase64Strict(bytes.toString("base64"))).toEqual(bytes);
    }
  });

  it.each([
    ["URL-safe alphabet", "ab-_"],
    ["padding inside", "AB=C"],
    ["padding first", "=ABC"],
    ["three padding characters", "A==="],
    ["only padding", "===="],
    ["a space", "AB C"],
    ["a newline", "ABC\n"],
    ["a NUL", "AB\u0000C"],
    ["a non-ASCII letter whose low byte is 'A' (U+0141)", "AB\u0141C"],
    ["a lone surrogate", "AB\ud800C"],
    ["length not a multiple of 4", "ABCDE"],
    ["missing padding", "AB"],
  ])("refuses %s", (_what, s) => {
    expect(isStandard(s)).toBe(false);
    expect(decodeBase64Strict(s)).toBeNull();
  });

  it("agrees with the regular expression on 200,000 random strings (mulberry32 seed 2026)", () => {
    const rnd = mulberry32(2026);
    const valid = "QUJDRA+/9z";
    const other = "ABCxyz019+/=-_ \n\t.$\u0000\u00e9\u3042\u0141\ud800==";
    let accepted = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const len = 4 * Math.floor(rnd() * 5) + (rnd() < 0.1 ? Math.floor(rnd() * 4) : 0);
      let s = "";
      for (let j = 0; j < len; j++) {
        const from = rnd() < 0.75 ? valid : other;
        s += from[Math.floor(rnd() * from.length)];
      }
      if (rnd() < 0.3) s = s.slice(0, Math.max(0, s.length - 2)) + (rnd() < 0.5 ? "==" : "A=");
      const ours = decodeBase64Strict(s);
      const agrees = ours === null ? !isStandard(s) : isStandard(s) && ours.equals(Buffer.from(s, "base64"));
      if (!agrees) disagreements.push(s);
      if (ours !== null) accepted++;
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(10_000);
  });
});
