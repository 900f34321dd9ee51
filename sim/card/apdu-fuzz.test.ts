import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApduFuzzer, fuzzApdus, isKnownStatusWord } from "./apdu-fuzz.js";
import { MyNumberCard } from "./card.js";
import { makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

const SEED = 0x5eed_0007;
const INPUTS = 40_000;

describe("APDU handler under random and mutated commands (fixed seed)", () => {
  it(`${INPUTS} inputs: each gets exactly one well-formed status word, no exception, state changes only by VERIFY/CHANGE`, () => {
    const newCard = () => {
      const c = new MyNumberCard(
        fx.personalisation({
          cardFace: { expiry: "20350217", securityCode: "4321", municipalityCode: "13101" },
        }),
      );
      c.unlockAtCounter();
      return c;
    };
    const report = fuzzApdus(newCard, SEED, INPUTS, 300);
    expect(report.failures).toEqual([]);
    expect(report.failureCount).toBe(0);
    expect(report.inputs).toBe(INPUTS);
    // the run reaches deep paths, not only 6700: successes, PIN failures and blocked PINs
    const sws = report.statusWords;
    expect(sws.get("9000") ?? 0).toBeGreaterThan(500);
    expect(sws.get("6700") ?? 0).toBeGreaterThan(1000);
    expect([...sws.keys()].some((k) => k.startsWith("63C"))).toBe(true);
    expect(report.stateChanges).toBeGreaterThan(20);
  });

  it("the fuzzer is deterministic for a seed and the oracle rejects unknown status words", () => {
    const a = new ApduFuzzer(SEED);
    const b = new ApduFuzzer(SEED);
    for (let i = 0; i < 200; i++) expect(a.next()).toEqual(b.next());
    expect(isKnownStatusWord(0x9000)).toBe(true);
    expect(isKnownStatusWord(0x63c2)).toBe(true);
    expect(isKnownStatusWord(0x6c10)).toBe(true);
    expect(isKnownStatusWord(0x6f00)).toBe(false); // a swallowed exception
    expect(isKnownStatusWord(0x1234)).toBe(false);
  });

  it("a card that throws inside would be caught by the oracle", () => {
    const broken = new MyNumberCard(fx.personalisation());
    broken.unlockAtCounter();
    // a card whose every answer is the internal-error word fails the oracle on every input
    const fake = { transmit: () => Uint8Array.of(0x6f, 0x00), stateVersion: 0 } as unknown as MyNumberCard;
    const report = fuzzApdus(() => fake, SEED, 50);
    expect(report.failureCount).toBe(50);
    expect(fuzzApdus(() => broken, SEED, 50).failureCount).toBe(0);
  });
});
