import { describe, expect, it } from "vitest";
import { AUTH_PIN_POLICY, PinReference, SIGN_PIN_POLICY, TEXT_PIN_POLICY, pinFormatProblem } from "./pin.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("PIN policies (FACTS §1.5)", () => {
  it("auth and text PINs are 4 digits with 3 tries; the signature password is 6-16 of A-Z0-9 with 5", () => {
    expect([AUTH_PIN_POLICY.maxTries, TEXT_PIN_POLICY.maxTries, SIGN_PIN_POLICY.maxTries]).toEqual([3, 3, 5]);
    expect(pinFormatProblem(AUTH_PIN_POLICY, "0000")).toBeUndefined();
    expect(pinFormatProblem(AUTH_PIN_POLICY, "123")).toBe("length");
    expect(pinFormatProblem(AUTH_PIN_POLICY, "12a4")).toBe("charset");
    expect(pinFormatProblem(SIGN_PIN_POLICY, "ABC123")).toBeUndefined();
    expect(pinFormatProblem(SIGN_PIN_POLICY, "A".repeat(16))).toBeUndefined();
    expect(pinFormatProblem(SIGN_PIN_POLICY, "A".repeat(17))).toBe("length");
    expect(pinFormatProblem(SIGN_PIN_POLICY, "ABCDE")).toBe("length");
    expect(pinFormatProblem(SIGN_PIN_POLICY, "abc123")).toBe("charset");
    expect(pinFormatProblem(SIGN_PIN_POLICY, "ABC 123")).toBe("charset");
  });
});

describe("PinReference", () => {
  it("counts down, blocks at zero, and a success resets the counter", () => {
    const pin = new PinReference(AUTH_PIN_POLICY, "1234");
    expect(pin.verify(enc("0000"))).toEqual({ result: "wrong", remaining: 2 });
    expect(pin.verify(enc("1234"))).toEqual({ result: "ok" });
    expect(pin.remaining).toBe(3);
    expect(pin.verify(enc("0000"))).toEqual({ result: "wrong", remaining: 2 });
    expect(pin.verify(enc("0000"))).toEqual({ result: "wrong", remaining: 1 });
    expect(pin.verify(enc("0000"))).toEqual({ result: "wrong", remaining: 0 });
    expect(pin.blocked).toBe(true);
    expect(pin.verify(enc("1234"))).toEqual({ result: "blocked" });
    pin.set("4321");
    expect(pin.remaining).toBe(3);
    expect(pin.verify(enc("4321"))).toEqual({ result: "ok" });
  });

  it("refuses out-of-range lengths without spending a try; restores counters clamped", () => {
    const pin = new PinReference(SIGN_PIN_POLICY, "ABCDEF");
    expect(pin.verify(enc("ABC"))).toEqual({ result: "bad-length" });
    expect(pin.verify(enc("A".repeat(17)))).toEqual({ result: "bad-length" });
    expect(pin.remaining).toBe(5);
    pin.restoreCounter(99);
    expect(pin.remaining).toBe(5);
    pin.restoreCounter(-1);
    expect(pin.blocked).toBe(true);
  });

  it("does not expose its value as a property", () => {
    const pin = new PinReference(AUTH_PIN_POLICY, "1234");
    expect(JSON.stringify(pin)).not.toContain("1234");
    expect(Object.keys(pin)).toEqual(["policy"]);
  });
});

describe("PinReference.changes (what a file-backed card must write)", () => {
  it("counts spent tries, counter resets and value changes, and nothing else", () => {
    const pin = new PinReference(AUTH_PIN_POLICY, "1234");
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(pin.changes).toBe(0);
    pin.verify(enc("1234")); // right, counter already full
    pin.verify(enc("12345")); // wrong length: refused before comparison
    expect(pin.changes).toBe(0);
    pin.verify(enc("0000"));
    expect(pin.changes).toBe(1);
    pin.verify(enc("1234")); // resets the counter
    expect(pin.changes).toBe(2);
    pin.change(enc("4321"));
    expect(pin.changes).toBe(3);
    pin.restoreCounter(3); // no change
    expect(pin.changes).toBe(3);
  });
});
