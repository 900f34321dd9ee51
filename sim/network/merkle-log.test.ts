import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { leafHash, verifyConsistency, verifyInclusion } from "../portal/merkle-verify.js";
import { MerkleLog, leafHashNode } from "./merkle-log.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

// Known answers from transparency-dev/merkle testonly/reference_test.go (RFC 6962 vectors of the
// certificate-transparency project): eight leaves, roots of every prefix, some proofs.
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(unhex);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]],
  [1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    1,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    0,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    5,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];

// An independent, straightforward transcription of RFC 9162 §2.1's recursive definitions (MTH, PATH,
// PROOF/SUBPROOF) over the leaf data, for cross-checking the iterative log on small trees.
const H = (...p: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const x of p) h.update(x);
  return new Uint8Array(h.digest());
};
const k2 = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return H();
  if (d.length === 1) return H(Uint8Array.of(0), d[0]!);
  const k = k2(d.length);
  return H(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = k2(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = k2(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

function logOf(leaves: Uint8Array[]): MerkleLog {
  const log = new MerkleLog();
  for (const l of leaves) log.append(l);
  return log;
}

describe("MerkleLog (RFC 9162 §2.1)", () => {
  it("matches the RFC 6962 known-answer roots and proofs", () => {
    const log = logOf(LEAVES);
    for (let n = 1; n <= 8; n++) expect(hex(log.root(n))).toBe(ROOTS[n - 1]);
    expect(hex(log.root(0))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (const [i, n, p] of INCLUSION) {
      expect(log.inclusionProof(i, n).map(hex)).toEqual(p);
      expect(verifyInclusion(leafHash(LEAVES[i]!), i, n, p.map(unhex), unhex(ROOTS[n - 1]!))).toEqual({
        ok: true,
      });
    }
    for (const [m, n, p] of CONSISTENCY) {
      expect(log.consistencyProof(m, n).map(hex)).toEqual(p);
      expect(verifyConsistency(m, n, p.map(unhex), unhex(ROOTS[m - 1]!), unhex(ROOTS[n - 1]!))).toEqual({
        ok: true,
      });
    }
  });

  it("agrees with the recursive RFC definitions for every size, index and size pair up to 40 leaves", () => {
    const rnd = mulberry32(9162);
    const data = Array.from({ length: 40 }, () =>
      Uint8Array.from({ length: randomInt(rnd, 20) }, () => randomInt(rnd, 256)),
    );
    const log = logOf(data);
    for (let n = 0; n <= data.length; n++) {
      const d = data.slice(0, n);
      expect(hex(log.root(n))).toBe(hex(mth(d)));
      for (let i = 0; i < n; i++) {
        const p = log.inclusionProof(i, n);
        expect(p.map(hex)).toEqual(path(i, d).map(hex));
        expect(verifyInclusion(leafHashNode(data[i]!), i, n, p, log.root(n)).ok).toBe(true);
      }
      for (let m = 1; m < n; m++) {
        const p = log.consistencyProof(m, n);
        expect(p.map(hex)).toEqual(subproof(m, d, true).map(hex));
        expect(verifyConsistency(m, n, p, log.root(m), log.root(n)).ok).toBe(true);
      }
    }
  });

  it("stays consistent across growth to 5,000 leaves (random pairs), node and noble leaf hashes agree", () => {
    const rnd = mulberry32(77);
    const log = new MerkleLog();
    const roots: Uint8Array[] = [log.root()];
    for (let i = 0; i < 5000; i++) {
      const rec = new TextEncoder().encode(`record-${i}-${randomInt(rnd, 1e9)}`);
      expect(hex(leafHashNode(rec))).toBe(hex(leafHash(rec)));
      log.append(rec);
      roots.push(log.root());
    }
    for (let t = 0; t < 300; t++) {
      const n = 1 + randomInt(rnd, 5000);
      const m = randomInt(rnd, n + 1);
      expect(verifyConsistency(m, n, log.consistencyProof(m, n), roots[m]!, roots[n]!).ok).toBe(true);
      const i = randomInt(rnd, n);
      expect(verifyInclusion(log.leafHash(i), i, n, log.inclusionProof(i, n), roots[n]!).ok).toBe(true);
      if (m > 0 && m < n) {
        // a rewritten history (different old root) is caught
        const forged = roots[m]!.slice();
        forged[randomInt(rnd, 32)]! ^= 1 << randomInt(rnd, 8);
        expect(verifyConsistency(m, n, log.consistencyProof(m, n), forged, roots[n]!).ok).toBe(false);
      }
    }
  });

  it("an altered stored record fails its inclusion proof against the published root", () => {
    const records = Array.from({ length: 100 }, (_, i) =>
      new TextEncoder().encode(`provision ${i}: city-131016 → jps, item 12`),
    );
    const log = logOf(records);
    const root = log.root();
    const proof = log.inclusionProof(42);
    expect(verifyInclusion(leafHash(records[42]!), 42, 100, proof, root).ok).toBe(true);
    const altered = records[42]!.slice();
    altered[altered.length - 1] = "3".charCodeAt(0); // item 12 → item 13
    const r = verifyInclusion(leafHash(altered), 42, 100, proof, root);
    expect(r).toEqual({ ok: false, reason: "inclusion proof does not lead to the root" });
    // and a log rebuilt over the altered records has a root the old tree head does not accept
    const rebuilt = logOf(records.map((x, i) => (i === 42 ? altered : x)));
    expect(hex(rebuilt.root())).not.toBe(hex(root));
    expect(verifyConsistency(100, 100, [], root, rebuilt.root()).ok).toBe(false);
  });

  it("refuses bad proofs: flipped bits, wrong index or size, truncated, extended, oversized, malformed", () => {
    const rnd = mulberry32(5);
    const log = logOf(Array.from({ length: 77 }, (_, i) => Uint8Array.of(i)));
    const root = log.root();
    const leaf = log.leafHash(30);
    const proof = log.inclusionProof(30);
    let flips = 0;
    for (let j = 0; j < proof.length; j++) {
      for (let t = 0; t < 8; t++) {
        const bad = proof.map((h) => h.slice());
        bad[j]![randomInt(rnd, 32)]! ^= 1 << randomInt(rnd, 8);
        expect(verifyInclusion(leaf, 30, 77, bad, root).ok).toBe(false);
        flips++;
      }
    }
    expect(flips).toBe(proof.length * 8);
    expect(verifyInclusion(leaf, 31, 77, proof, root).ok).toBe(false);
    // (a size with the same tree shape around leaf 30, e.g. 78, yields the same hashes: the signed tree
    // head binds size and root together, see signed-tree-head.ts; sizes changing the shape fail)
    expect(verifyInclusion(leaf, 30, 200, proof, root).ok).toBe(false);
    expect(verifyInclusion(leaf, 30, 40, proof, root).ok).toBe(false);
    expect(verifyInclusion(leaf, 30, 77, proof.slice(1), root).ok).toBe(false);
    expect(verifyInclusion(leaf, 30, 77, [...proof, root], root).ok).toBe(false);
    expect(verifyInclusion(leaf, 77, 77, proof, root).ok).toBe(false);
    expect(verifyInclusion(leaf, -1, 77, proof, root).ok).toBe(false);
    expect(verifyInclusion(leaf, 0.5, 77, proof, root).ok).toBe(false);
    expect(verifyInclusion(leaf, 30, 2 ** 60, proof, root).ok).toBe(false);
    expect(
      verifyInclusion(
        leaf,
        30,
        77,
        Array.from({ length: 1000 }, () => root),
        root,
      ),
    ).toEqual({ ok: false, reason: "inclusion proof too long" });
    expect(verifyInclusion(leaf, 30, 77, [new Uint8Array(31), ...proof.slice(1)], root).ok).toBe(false);
    const cp = log.consistencyProof(20, 77);
    expect(verifyConsistency(20, 77, cp, log.root(20), root).ok).toBe(true);
    expect(verifyConsistency(21, 77, cp, log.root(20), root).ok).toBe(false);
    expect(verifyConsistency(20, 77, cp.slice(0, -1), log.root(20), root).ok).toBe(false);
    expect(verifyConsistency(20, 77, [...cp, root], log.root(20), root).ok).toBe(false);
    expect(verifyConsistency(20, 77, [], log.root(20), root).ok).toBe(false);
    expect(verifyConsistency(77, 20, cp, root, log.root(20)).ok).toBe(false);
    expect(verifyConsistency(0, 77, cp, log.root(0), root).ok).toBe(false);
  });

  it("refuses proof requests outside the log with a typed error, and is unchanged after", () => {
    const log = logOf(LEAVES);
    for (const [i, n] of [
      [8, 8],
      [0, 9],
      [-1, 8],
      [1.5, 8],
      [0, Number.NaN],
    ] as const) {
      expect(() => log.inclusionProof(i, n)).toThrowError(
        expect.objectContaining({ code: "E_PROOF_REQUEST" }),
      );
    }
    expect(() => log.consistencyProof(5, 3)).toThrowError(/exceeds/);
    expect(() => log.consistencyProof(1, 2 ** 53)).toThrowError(/\[0, 8\]/);
    expect(() => log.root(9)).toThrowError(/tree size/);
    expect(() => log.appendLeafHash(new Uint8Array(5))).toThrowError(/32 bytes/);
    expect(log.size).toBe(8);
    expect(hex(log.root())).toBe(ROOTS[7]);
  });
});
