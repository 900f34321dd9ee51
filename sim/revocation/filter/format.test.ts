// Tests of the filter's binary format (format.ts): strict versioned decoding with typed errors, and
// a bounded fuzz of truncated and mutated files (the long run is bench/fuzz-filter.ts).
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../engine/random/small-prng.js";
import { FilterError, RevocationFilter, buildFilter, universeOf } from "./index.js";
import { fuzzFilterBytes } from "./fuzz.js";

function sample(): Uint8Array {
  const n = 3_000;
  const keys = new Uint32Array(2 * n);
  const revoked = new Uint8Array(n);
  const rnd = mulberry32(99);
  for (let i = 0; i < 2 * n; i++) keys[i] = Math.floor(rnd() * 2 ** 32);
  for (let i = 0; i < n; i += 9) revoked[i] = 1;
  return buildFilter(universeOf(keys, revoked), { sequence: 4, blockEquations: 256 }).bytes;
}

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof FilterError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "parsed";
};

describe("decodeFilter", () => {
  const good = sample();

  it("parses what the builder wrote, with header fields", () => {
    const f = RevocationFilter.parse(good);
    expect(f.header).toMatchObject({ kind: "full", sequence: 4, universe: 3_000, targets: 334 });
    expect(f.header.blocks).toBeGreaterThan(1);
  });

  it("names the field and offset for each broken header rule", () => {
    const with_ = (at: number, v: number): Uint8Array => {
      const b = good.slice();
      b[at] = v;
      return b;
    };
    expect(code(() => RevocationFilter.parse(good.subarray(0, 40)))).toMatch(
      /E_FILTER_FORMAT: .*header at byte 40: truncated/,
    );
    expect(code(() => RevocationFilter.parse(with_(0, 0x4e)))).toMatch(/magic at byte 0/);
    expect(code(() => RevocationFilter.parse(with_(4, 2)))).toMatch(
      /version at byte 4: version 2 is not supported/,
    );
    expect(code(() => RevocationFilter.parse(with_(5, 7)))).toMatch(/kind at byte 5/);
    expect(code(() => RevocationFilter.parse(with_(6, 17)))).toMatch(/r at byte 6/);
    expect(code(() => RevocationFilter.parse(with_(7, 1)))).toMatch(/reserved at byte 7/);
    expect(code(() => RevocationFilter.parse(with_(11, 0x80)))).toMatch(/blocks at byte 8/);
    expect(code(() => RevocationFilter.parse(with_(23, 0x40)))).toMatch(
      /universe at byte 16: more than 2\^53/,
    );
    expect(code(() => RevocationFilter.parse(with_(45, 1)))).toMatch(/reserved at byte 40/);
    expect(code(() => RevocationFilter.parse(with_(good.length - 40, good[good.length - 40]! ^ 1)))).toMatch(
      /trailer at byte \d+: SHA-256 does not match/,
    );
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(code(() => RevocationFilter.parse(longer))).toMatch(/4 trailing bytes|SHA-256/);
  });

  it("fuzz: 3,000 truncated or mutated files give a FilterError or a filter, never another error", () => {
    const counts = fuzzFilterBytes(good, 3_000, 2026);
    expect(counts.inputs).toBe(3_000);
    expect(counts.rejected).toBeGreaterThan(2_900);
    expect(counts.rejected + counts.accepted).toBe(3_000);
  });
});
