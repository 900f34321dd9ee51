import { describe, expect, it } from "vitest";
import { checkCardFace, codeB, eraDate } from "./card-face.js";
import { CardInputError } from "./errors.js";

describe("card-face keys (FACTS §2.3)", () => {
  it("writes Gregorian dates as Japanese-era YYMMDD, switching on each era's first day", () => {
    expect(eraDate("19900217")).toBe("020217"); // 平成2年
    expect(eraDate("19890107")).toBe("640107"); // 昭和64年, the last day of Shōwa
    expect(eraDate("19890108")).toBe("010108"); // 平成元年
    expect(eraDate("20190430")).toBe("310430"); // 平成31年
    expect(eraDate("20190501")).toBe("010501"); // 令和元年
    expect(eraDate("19261224")).toBe("151224"); // 大正15年
    expect(eraDate("19261225")).toBe("011225"); // 昭和元年
    expect(eraDate("19120730")).toBe("010730"); // 大正元年
    expect(eraDate("19120729")).toBe("450729"); // 明治45年
  });

  it("builds 照合番号B from era birth date, expiry year and security code (14 digits)", () => {
    expect(codeB("19900217", { expiry: "20350217", securityCode: "4321" })).toBe("02021720354321");
    expect(codeB("20200101", { expiry: "20300101", securityCode: "0007" })).toBe("02010120300007");
  });

  it("refuses malformed input with a typed error naming the field", () => {
    expect(() => eraDate("1872-12-31")).toThrow(CardInputError);
    expect(() => eraDate("18721231")).toThrow(/before 1873-01-01/);
    expect(() => checkCardFace({ expiry: "20351301", securityCode: "1234" })).toThrow(/cardFace\.expiry/);
    expect(() => checkCardFace({ expiry: "20350101", securityCode: "123" })).toThrow(
      /cardFace\.securityCode/,
    );
    expect(() =>
      checkCardFace({ expiry: "20350101", securityCode: "1234", municipalityCode: "1310" }),
    ).toThrow(/cardFace\.municipalityCode: expected 5 digits/);
  });
});
