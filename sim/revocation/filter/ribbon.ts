/**
 * One block of a standard Ribbon system over GF(2) with 64-bit coefficient windows (Dietzfelbinger &
 * Walzer 2019, "Efficient Gauss elimination for near-quadratic matrices with one short random block
 * per row"; Dillinger & Walzer 2021, "Ribbon filter"): on-the-fly banded elimination in any insertion
 * order, then back substitution into `width` solution columns, each a bit vector of m rows. A query
 * is, per column, the parity of 64 solution bits under the key's coefficient window — no allocation,
 * a few dozen integer operations. Builder and query share this file so they cannot drift apart.
 * @module
 */
import { equationOf } from "./hash.js";

/** Words one solution column of a block with `m` rows occupies (one spare word for 64-bit reads). */
export function columnWords(m: number): number {
  return m === 0 ? 0 : Math.ceil(m / 32) + 1;
}

/** Parity of a uint32. */
export function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  return (0x6996 >>> (x & 0xf)) & 1;
}

/**
 * Reusable elimination state: one row per solution row (coefficient window low/high words and the
 * right-hand side). Grown on demand, cleared per block.
 */
export class RibbonSolver {
  private rowLo = new Uint32Array(0);
  private rowHi = new Uint32Array(0);
  private rowV = new Uint32Array(0);
  private readonly eq = new Uint32Array(4);
  private m = 0;

  /** Start a block of `m` rows (m ≥ 64). */
  reset(m: number): void {
    if (this.rowLo.length < m) {
      const n = Math.max(m, this.rowLo.length * 2);
      this.rowLo = new Uint32Array(n);
      this.rowHi = new Uint32Array(n);
      this.rowV = new Uint32Array(n);
    } else {
      this.rowLo.fill(0, 0, m);
      this.rowHi.fill(0, 0, m);
      this.rowV.fill(0, 0, m);
    }
    this.m = m;
  }

  /**
   * Add the equation of key (hi, lo) with right-hand side (fingerprint & fpMask) ^ extra. Returns
   * false when it contradicts the equations already added (the block must be retried with another
   * seed); a redundant consistent equation is accepted.
   */
  add(hi: number, lo: number, seed: number, fpMask: number, extra: number): boolean {
    const eq = this.eq;
    equationOf(hi, lo, seed, this.m, eq);
    let s = eq[0]!;
    let cLo = eq[1]!;
    let cHi = eq[2]!;
    let v = ((eq[3]! & fpMask) ^ extra) >>> 0;
    const rowLo = this.rowLo;
    const rowHi = this.rowHi;
    const rowV = this.rowV;
    for (;;) {
      const pLo = rowLo[s]!;
      if (pLo === 0) {
        rowLo[s] = cLo;
        rowHi[s] = cHi;
        rowV[s] = v;
        return true;
      }
      cLo = (cLo ^ pLo) >>> 0;
      cHi = (cHi ^ rowHi[s]!) >>> 0;
      v = (v ^ rowV[s]!) >>> 0;
      if (cLo === 0) {
        if (cHi === 0) return v === 0;
        s += 32;
        cLo = cHi;
        cHi = 0;
      }
      const tz = 31 - Math.clz32(cLo & -cLo);
      if (tz > 0) {
        cLo = ((cLo >>> tz) | (cHi << (32 - tz))) >>> 0;
        cHi = cHi >>> tz;
        s += tz;
      }
    }
  }

  /**
   * Back substitution: write the `width` solution columns, interleaved word by word so that one
   * query reads adjacent words (bit i of column c at out[at + (i >>> 5)·width + c], bit i & 31),
   * rows without a pivot set to 0.
   */
  solve(width: number, out: Uint32Array, at: number): void {
    const m = this.m;
    const rowLo = this.rowLo;
    const rowHi = this.rowHi;
    const rowV = this.rowV;
    for (let c = 0; c < width; c++) {
      const base = at + c;
      let wLo = 0;
      let wHi = 0;
      for (let i = m - 1; i >= 0; i--) {
        const cl = rowLo[i]!;
        let z = 0;
        if (cl !== 0) {
          const ch = rowHi[i]!;
          const x = (((cl >>> 1) | (ch << 31)) & wLo) ^ ((ch >>> 1) & wHi);
          z = ((rowV[i]! >>> c) & 1) ^ parity32(x);
        }
        wHi = ((wHi << 1) | (wLo >>> 31)) >>> 0;
        wLo = ((wLo << 1) | z) >>> 0;
        if (z) out[base + (i >>> 5) * width] = (out[base + (i >>> 5) * width]! | (1 << (i & 31))) >>> 0;
      }
    }
  }
}

/**
 * The `width`-bit value the solution at `data[at…]` ({@link columnWords}(m) words per column,
 * interleaved) gives
 * for the equation starting at row `s` with window (cLo, cHi).
 */
export function evaluate(
  data: Uint32Array,
  at: number,
  m: number,
  width: number,
  s: number,
  cLo: number,
  cHi: number,
): number {
  const k = s >>> 5;
  const sh = s & 31;
  let acc = 0;
  for (let c = 0; c < width; c++) {
    const p = at + k * width + c;
    let lo: number;
    let hi: number;
    if (sh === 0) {
      lo = data[p]!;
      hi = data[p + width]!;
    } else {
      const w1 = data[p + width]!;
      lo = (data[p]! >>> sh) | (w1 << (32 - sh));
      hi = (w1 >>> sh) | (data[p + 2 * width]! << (32 - sh));
    }
    acc |= parity32((lo & cLo) ^ (hi & cHi)) << c;
  }
  return acc;
}
