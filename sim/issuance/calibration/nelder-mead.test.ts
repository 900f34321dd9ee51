/**
 * The Nelder–Mead minimiser (nelder-mead.ts): it finds the minimum of known functions inside the
 * box, the path depends only on the values (evaluating the batches in another order or one point at a
 * time changes nothing), and a coordinate the objective ignores is frozen at its start.
 */
import { describe, expect, it } from "vitest";
import { nelderMead } from "./nelder-mead.js";

const quadratic =
  (centre: number[]) =>
  (u: number[]): number =>
    u.reduce((s, x, i) => s + (i + 1) * (x - centre[i]!) ** 2, 0);

const inOrder = (f: (u: number[]) => number) => (ps: number[][]) => Promise.resolve(ps.map(f));

describe("nelderMead", () => {
  it("finds the minimum of a separable quadratic in the unit box", async () => {
    const centre = [0.2, 0.7, 0.45];
    const r = await nelderMead(inOrder(quadratic(centre)), {
      start: [0.5, 0.5, 0.5],
      maxEvaluations: 400,
      tolerance: 1e-14,
    });
    r.best.forEach((x, i) => expect(x).toBeCloseTo(centre[i]!, 3));
    expect(r.frozen).toEqual([false, false, false]);
    expect(r.evaluations).toBeLessThanOrEqual(400 + 2);
  });

  it("finds a minimum on the boundary (the periodic map keeps every trial inside)", async () => {
    const seen: number[][] = [];
    const f = (u: number[]): number => {
      seen.push(u);
      return (u[0]! + 1) ** 2 + (u[1]! - 0.3) ** 2;
    };
    const r = await nelderMead(inOrder(f), { start: [0.5, 0.5], maxEvaluations: 300, tolerance: 1e-14 });
    expect(r.best[0]).toBeLessThan(1e-3);
    expect(r.best[1]).toBeCloseTo(0.3, 3);
    expect(seen.every((u) => u.every((x) => x >= 0 && x <= 1))).toBe(true);
  });

  it("takes the same path whether a batch is evaluated in order, reversed or one point at a time", async () => {
    const f = quadratic([0.3, 0.6]);
    const a = await nelderMead(inOrder(f), { start: [0.9, 0.1], maxEvaluations: 80, speculative: true });
    const reversed = (ps: number[][]): Promise<number[]> =>
      Promise.resolve(ps.slice().reverse().map(f).reverse());
    const b = await nelderMead(reversed, { start: [0.9, 0.1], maxEvaluations: 80, speculative: true });
    expect(b).toEqual(a);
  });

  it("freezes a coordinate the objective does not depend on at its start", async () => {
    const f = (u: number[]): number => (u[0]! - 0.25) ** 2;
    const r = await nelderMead(inOrder(f), { start: [0.6, 0.8], maxEvaluations: 200, tolerance: 1e-14 });
    expect(r.frozen).toEqual([false, true]);
    expect(r.best[1]).toBeCloseTo(0.8, 12);
    expect(r.best[0]).toBeCloseTo(0.25, 3);
  });
});
