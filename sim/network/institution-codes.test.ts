import { randomBytes } from "node:crypto";
import { createSecretKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { CodeCore, deriveInstitutionCode } from "./institution-codes.js";

function seededKey(seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  return Uint8Array.from({ length: 32 }, () => randomInt(rnd, 256));
}

const INSTITUTIONS = Array.from({ length: 40 }, (_, i) => `inst-${String(i).padStart(3, "0")}`);
const PERSONS = Array.from({ length: 500 }, (_, i) => `link-${i}`);

function popcount8(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}

function hammingHex(a: string, b: string): number {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  let d = 0;
  for (let i = 0; i < x.length; i++) d += popcount8((x[i] ?? 0) ^ (y[i] ?? 0));
  return d;
}

describe("institution-specific codes", () => {
  it("are unique per (institution, person) over 40 × 500 codes", () => {
    const core = new CodeCore(seededKey(1), INSTITUTIONS);
    const seen = new Set<string>();
    for (const inst of INSTITUTIONS) {
      for (const p of PERSONS) {
        const code = core.issueCode(inst, p);
        expect(code).toMatch(/^[0-9a-f]{64}$/);
        seen.add(code);
      }
    }
    expect(seen.size).toBe(INSTITUTIONS.length * PERSONS.length);
    expect(core.size).toBe(INSTITUTIONS.length * PERSONS.length);
    // idempotent re-issue
    expect(core.issueCode("inst-000", "link-7")).toBe(core.issueCode("inst-000", "link-7"));
  });

  it("the core maps a person's code between institutions, and only the core can", () => {
    const core = new CodeCore(seededKey(2), INSTITUTIONS);
    const rnd = mulberry32(12);
    for (let t = 0; t < 2000; t++) {
      const a = INSTITUTIONS[randomInt(rnd, INSTITUTIONS.length)]!;
      const b = INSTITUTIONS[randomInt(rnd, INSTITUTIONS.length)]!;
      const p = PERSONS[randomInt(rnd, PERSONS.length)]!;
      const codeA = core.issueCode(a, p);
      expect(core.mapCode(a, codeA, b)).toBe(core.issueCode(b, p));
    }
  });

  it("a different key (anyone but the core) derives none of the codes: derivation needs K_core", () => {
    const core = new CodeCore(seededKey(3), INSTITUTIONS);
    const real = new Set<string>();
    for (const inst of INSTITUTIONS.slice(0, 10)) for (const p of PERSONS) real.add(core.issueCode(inst, p));
    const rnd = mulberry32(33);
    for (let k = 0; k < 20; k++) {
      const guess = createSecretKey(Buffer.from(seededKey(1000 + randomInt(rnd, 1e6))));
      for (const inst of INSTITUTIONS.slice(0, 10)) {
        for (const p of PERSONS.slice(0, 50))
          expect(real.has(deriveInstitutionCode(guess, inst, p))).toBe(false);
      }
    }
  });

  it("codes of one person at two institutions are not linkable: same-person pairs look like random pairs", () => {
    const core = new CodeCore(seededKey(4), INSTITUTIONS);
    const rnd = mulberry32(44);
    let same = 0;
    let other = 0;
    const n = 3000;
    for (let t = 0; t < n; t++) {
      const a = INSTITUTIONS[randomInt(rnd, 20)]!;
      const b = INSTITUTIONS[20 + randomInt(rnd, 20)]!;
      const p = PERSONS[randomInt(rnd, PERSONS.length)]!;
      let q = PERSONS[randomInt(rnd, PERSONS.length)]!;
      if (q === p) q = `${p}-other`;
      same += hammingHex(core.issueCode(a, p), core.issueCode(b, p));
      other += hammingHex(core.issueCode(a, p), core.issueCode(b, q));
    }
    // Both means sit at 128 bits (random 256-bit strings): standard error of a mean over 3000 pairs is
    // 8/√3000 ≈ 0.15 bits, so a band of ±1 bit is > 6 σ; any structure linking the pairs would shift it.
    expect(Math.abs(same / n - 128)).toBeLessThan(1);
    expect(Math.abs(other / n - 128)).toBeLessThan(1);
    // and no code of one institution equals any code of another for the same person
    for (const p of PERSONS.slice(0, 100)) {
      const codes = new Set(INSTITUTIONS.map((i) => core.issueCode(i, p)));
      expect(codes.size).toBe(INSTITUTIONS.length);
    }
  });

  it("refuses unknown institutions, codes not issued to the requester, malformed codes and short keys", () => {
    const core = new CodeCore(randomBytes(32), ["a", "b", "c"]);
    const codeA = core.issueCode("a", "p1");
    expect(() => core.mapCode("zz", codeA, "b")).toThrowError(
      expect.objectContaining({ code: "E_UNKNOWN_INSTITUTION" }),
    );
    expect(() => core.mapCode("a", codeA, "zz")).toThrowError(/provider: unknown institution "zz"/);
    // a's code presented by c does not resolve (a code is only meaningful at its own institution)
    expect(() => core.mapCode("c", codeA, "b")).toThrowError(
      expect.objectContaining({ code: "E_CODE_UNRESOLVED" }),
    );
    expect(() => core.mapCode("a", "not-hex", "b")).toThrowError(/expected 64 lowercase hex digits/);
    expect(() => core.mapCode("a", "0".repeat(64), "b")).toThrowError(/not issued/);
    expect(() => core.issueCode("zz", "p1")).toThrowError(/unknown institution/);
    expect(() => new CodeCore(new Uint8Array(16))).toThrowError(
      expect.objectContaining({ code: "E_NETWORK_SETUP" }),
    );
    expect(() => core.issueCode("a", "")).toThrowError(
      expect.objectContaining({
        code: "E_CODE_UNRESOLVED",
        message: "link id: expected 1..256 UTF-8 bytes, got 0",
      }),
    );
    expect(() => core.issueCode("a", "x".repeat(257))).toThrowError(/link id: expected 1..256/);
    expect(() => core.addInstitution("")).toThrowError(
      expect.objectContaining({ code: "E_UNKNOWN_INSTITUTION" }),
    );
    const before = core.size;
    expect(() => core.mapCode("c", codeA, "b")).toThrow();
    expect(core.size).toBe(before);
  });
});
