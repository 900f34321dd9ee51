import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { isValidMyNumber, myNumberCheckDigit } from "./my-number.js";

describe("individual numbers", () => {
  it("check digit: the published example and the mod-11 rule", () => {
    // 12345678901 → Σ = 1·6+2·5+3·4+4·3+5·2+6·7+7·6+8·5+9·4+0·3+1·2 = 212, 212 mod 11 = 3 → 11 − 3 = 8
    expect(myNumberCheckDigit("12345678901")).toBe(8);
    expect(isValidMyNumber("123456789018")).toBe(true);
    expect(isValidMyNumber("123456789017")).toBe(false);
    expect(myNumberCheckDigit("00000000000")).toBe(0);
    expect(() => myNumberCheckDigit("1234")).toThrow(InputError);
  });

  it("exactly one last digit completes any 11 digits: the check digit (property, mulberry32 seed 12)", () => {
    const rnd = mulberry32(12);
    for (let k = 0; k < 500; k++) {
      const first11 = Array.from({ length: 11 }, () => String(randomInt(rnd, 10))).join("");
      const valid = [..."0123456789"].filter((d) => isValidMyNumber(first11 + d));
      expect(valid).toEqual([String(myNumberCheckDigit(first11))]);
    }
    expect(isValidMyNumber("12345678901")).toBe(false);
    expect(isValidMyNumber("12345678901８")).toBe(false);
  });
});
