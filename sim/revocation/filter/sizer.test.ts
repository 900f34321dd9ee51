// The size estimate (sizer.ts) against real builds (builder.ts) of the same universe and counts.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../engine/random/small-prng.js";
import { buildFilter, universeOf } from "./builder.js";
import { estimateFilterBytes, revocationFilterSizer } from "./sizer.js";

describe("estimateFilterBytes", () => {
  it("is within 2 % of real builds from 1 % to 60 % revoked", () => {
    const rnd = mulberry32(17);
    const n = 120_000;
    const keys = new Uint32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) keys[i] = Math.floor(rnd() * 2 ** 32);
    for (const rate of [0.01, 0.1, 0.3, 0.6]) {
      const revoked = new Uint8Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) if (rnd() < rate) revoked[i] = (k++, 1);
      const real = buildFilter(universeOf(keys, revoked), { verify: false }).bytes.length;
      const est = estimateFilterBytes(n, k);
      expect(Math.abs(est - real) / real, `rate ${rate}`).toBeLessThan(0.02);
    }
  });

  it("grows with the changes, not the universe, for deltas", () => {
    const s = revocationFilterSizer();
    expect(s.deltaBytes(2e8, 1e4)).toBeLessThan(40_000);
    expect(s.fullBytes(2e8, 2e7)).toBeGreaterThan(11_000_000);
    expect(s.fullBytes(2e8, 2e7)).toBeLessThan(14_000_000);
  });
});
