import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyRoot, leafHash, nodeHash, verifyConsistency, verifyInclusion } from "./merkle-verify.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("portal Merkle verifier (browser side)", () => {
  it("imports nothing but @noble/hashes, so the page can load it (no node:*, no Buffer)", () => {
    const src = readFileSync(new URL("./merkle-verify.ts", import.meta.url), "utf8");
    const imports = [...src.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["@noble/hashes/sha2.js"]);
    const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    expect(code).not.toMatch(/\bBuffer\b|\bprocess\b|\brequire\(/);
  });

  it("hashes as RFC 6962 (leaf 0x00, node 0x01) and checks a two-leaf tree", () => {
    expect(hex(emptyRoot())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const a = leafHash(new Uint8Array(0));
    expect(hex(a)).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const b = leafHash(Uint8Array.of(0));
    const root = nodeHash(a, b);
    expect(hex(root)).toBe("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    expect(verifyInclusion(b, 1, 2, [a], root)).toEqual({ ok: true });
    expect(verifyInclusion(a, 1, 2, [b], root).ok).toBe(false);
    expect(verifyConsistency(1, 2, [b], a, root)).toEqual({ ok: true });
    expect(verifyConsistency(1, 2, [a], a, root).ok).toBe(false);
  });

  it("refuses inputs of the wrong type without throwing", () => {
    const h = leafHash(Uint8Array.of(1));
    expect(verifyInclusion(h, 0, 1, "x" as unknown as Uint8Array[], h).ok).toBe(false);
    expect(verifyInclusion(h, 0, 1, [], new Uint8Array(32)).ok).toBe(false);
    expect(verifyInclusion(h, 0, 1, [], h)).toEqual({ ok: true });
    expect(verifyConsistency(1, 1, [], h, h)).toEqual({ ok: true });
    expect(verifyConsistency(Number.POSITIVE_INFINITY, 1, [], h, h).ok).toBe(false);
  });
});

describe("portal verifier at sizes beyond 32 bits", () => {
  // Reference: walk RFC 9162's split top-down for (index, size), take one random sibling per level,
  // and fold the root bottom-up — the tree never exists, only the path, so sizes up to 2^53 work.
  function syntheticPath(index: number, size: number, seed: number) {
    let x = seed >>> 0;
    const rand = () => {
      const h = new Uint8Array(32);
      for (let i = 0; i < 32; i++) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        h[i] = x >>> 24;
      }
      return h;
    };
    const sides: { sib: Uint8Array; left: boolean }[] = [];
    let lo = 0;
    let hi = size;
    while (hi - lo > 1) {
      let k = 1;
      while (k * 2 < hi - lo) k *= 2;
      if (index - lo < k) {
        sides.push({ sib: rand(), left: false });
        hi = lo + k;
      } else {
        sides.push({ sib: rand(), left: true });
        lo += k;
      }
    }
    const leaf = leafHash(Uint8Array.of(1, 2, 3));
    let r = leaf;
    for (let i = sides.length - 1; i >= 0; i--) {
      const s = sides[i]!;
      r = s.left ? nodeHash(s.sib, r) : nodeHash(r, s.sib);
    }
    return { leaf, root: r, proof: sides.map((s) => s.sib).reverse() };
  }

  it("verifies inclusion in trees of 2^33 … 2^53−1 leaves and refuses a neighbouring index", () => {
    const cases: [number, number][] = [
      [2 ** 33 - 1, 2 ** 33],
      [2 ** 32, 2 ** 32 + 1],
      [123_456_789_012, 2 ** 40 + 12_345],
      [2 ** 53 - 2, 2 ** 53 - 1],
      [0, 2 ** 53 - 1],
    ];
    for (const [i, n] of cases) {
      const { leaf, root, proof } = syntheticPath(i, n, i % 1000);
      expect(proof.length).toBeLessThanOrEqual(53);
      expect(verifyInclusion(leaf, i, n, proof, root)).toEqual({ ok: true });
      const j = i === 0 ? 1 : i - 1;
      expect(verifyInclusion(leaf, j, n, proof, root).ok).toBe(false);
    }
    expect(verifyInclusion(leafHash(Uint8Array.of(1)), 0, 2 ** 53, [], leafHash(Uint8Array.of(1))).ok).toBe(
      false,
    );
  });
});
