/**
 * Property tests of the CRL revocation index (sim/pki/crl-index.ts, RFC 5280 §5.1 serials as unsigned
 * magnitudes): random serial sets drawn with a fixed seed — 16-octet JPKI-like serials, short ones,
 * ones longer than 16 octets sharing their last 16 octets, a sign octet, duplicates, the serial 0 —
 * from a handful of entries (four buckets, so the overflow walk wraps around the table) to 40,000
 * (a cache-line-aligned table). Every listed serial is found, at its first entry in DER order, with
 * or without leading zero octets; every unlisted one (random, one octet off, one octet longer or
 * shorter) is not.
 * @module
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { RevokedEntriesBuilder, buildCrl } from "./crl-builder.js";
import type { CrlIndex } from "./crl-index.js";
import { parseCrl } from "./crl-index.js";
import type { JpkiRoot } from "./jpki-profiles.js";
import { createJpkiRoot } from "./jpki-profiles.js";
import { generateKey } from "./signer.js";

const NOW = Date.UTC(2026, 11, 1);
const SEED = 0x5eed_c41;

let root: JpkiRoot;
beforeAll(() => {
  root = createJpkiRoot({ kind: "auth", signer: generateKey("p256").signer, notBefore: NOW - 86_400_000 });
});

/** Magnitude of `s` (leading zero octets dropped; zero stays one octet). */
function magnitude(s: Uint8Array): Uint8Array {
  let i = 0;
  while (i < s.length - 1 && s[i] === 0) i++;
  return s.subarray(i);
}
const hex = (s: Uint8Array): string => Buffer.from(magnitude(s)).toString("hex");

/** A random serial of 1–20 octets, mostly 16 (JPKI), with the shapes that exercise the index's edge cases. */
function drawSerial(rnd: () => number, earlier: readonly Uint8Array[]): Uint8Array {
  const kind = randomInt(rnd, 20);
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => randomInt(rnd, 256));
  if (kind === 0 && earlier.length > 0) return earlier[randomInt(rnd, earlier.length)]!; // duplicate
  if (kind === 1 && earlier.length > 0) {
    // longer than 16 octets, same last 16 octets as an earlier serial
    const tail = earlier[randomInt(rnd, earlier.length)]!;
    const t16 = tail.subarray(Math.max(0, tail.length - 16));
    const head = bytes(1 + randomInt(rnd, 4));
    head[0] = head[0]! | 1;
    return Uint8Array.from([...head, ...new Uint8Array(16 - t16.length), ...t16]);
  }
  if (kind === 2) return bytes(1 + randomInt(rnd, 15)); // short (maybe leading zeros)
  if (kind === 3) return bytes(17 + randomInt(rnd, 4)); // long
  if (kind === 4) return Uint8Array.of(0); // the serial 0 (non-conforming, still indexed)
  const s = bytes(16);
  s[0] = s[0]! | 0x01; // a full 16 octets; half have the high bit set (DER adds a sign octet)
  return s;
}

interface Case {
  serials: Uint8Array[];
  index: CrlIndex;
}

function buildCase(rnd: () => number, n: number): Case {
  const serials: Uint8Array[] = [];
  const b = new RevokedEntriesBuilder(20, Math.max(1, n));
  for (let i = 0; i < n; i++) {
    const s = drawSerial(rnd, serials);
    serials.push(s);
    b.add(s, NOW - randomInt(rnd, 1000) * 1000, 1);
  }
  const der = buildCrl(
    {
      issuer: root.name,
      authorityKeyId: root.keyId,
      thisUpdate: NOW,
      nextUpdate: NOW + 86_400_000,
      crlNumber: 1,
      entries: b.build(),
    },
    root.signer,
  );
  return { serials, index: parseCrl(der).entries };
}

/**
 * Checks one case; returns how many present and absent queries it made and the first few wrong
 * answers (plain loops: an `expect` per query would make the test slow).
 */
function check(
  rnd: () => number,
  { serials, index }: Case,
): { present: number; absent: number; wrong: string[] } {
  const wrong: string[] = [];
  const first = new Map<string, number>(); // magnitude → handle of its first entry in DER order
  const handles: number[] = [];
  index.forEach((h) => handles.push(h));
  expect(handles).toHaveLength(serials.length);
  handles.forEach((h, i) => {
    if (hex(index.serialAt(h)) !== hex(serials[i]!)) wrong.push(`serialAt(${h}) ≠ serial ${i}`);
    if (!first.has(hex(serials[i]!))) first.set(hex(serials[i]!), h);
  });
  expect(index.count).toBe(serials.length);
  expect(index.duplicates).toBe(serials.length - first.size);

  let present = 0;
  let absent = 0;
  const probe = (q: Uint8Array): void => {
    const want = first.get(hex(q)) ?? -1;
    const got = index.find(q);
    if (got !== want && wrong.length < 5)
      wrong.push(`find(${Buffer.from(q).toString("hex")}) = ${got}, want ${want}`);
    if (index.has(q) !== want >= 0 && wrong.length < 5) wrong.push(`has(${Buffer.from(q).toString("hex")})`);
    if (want >= 0) present++;
    else absent++;
  };
  for (const s of serials) {
    const m = magnitude(s);
    probe(s);
    probe(Uint8Array.from([0, 0, ...m])); // leading zeros ignored
    const flipped = Uint8Array.from(m);
    flipped[m.length - 1] = flipped[m.length - 1]! ^ (1 + randomInt(rnd, 255));
    probe(flipped);
    probe(Uint8Array.from([1 + randomInt(rnd, 255), ...m])); // one octet longer
    if (m.length > 1) probe(m.subarray(1)); // one octet shorter
  }
  for (let i = 0; i < serials.length + 16; i++)
    probe(Uint8Array.from({ length: 1 + randomInt(rnd, 20) }, () => randomInt(rnd, 256)));
  return { present, absent, wrong };
}

describe("CrlIndex: random serial sets (fixed seed)", () => {
  it("finds every listed serial at its first entry and no unlisted one, from 1 to 5,000 entries", () => {
    const rnd = mulberry32(SEED);
    let present = 0;
    let absent = 0;
    let displaced = 0;
    const sizes = [1, 2, 3, 5, 7, 8, 9, 13, 40, 333, 5000];
    for (let round = 0; round < 6; round++)
      for (const n of sizes) {
        const c = buildCase(rnd, n);
        displaced += c.index.displaced;
        const r = check(rnd, c);
        expect(r.wrong).toEqual([]);
        present += r.present;
        absent += r.absent;
      }
    // the overflow walk (and its wrap-around in the tiny tables) was exercised
    expect(displaced).toBeGreaterThan(100);
    expect(present).toBeGreaterThan(60_000);
    expect(absent).toBeGreaterThan(100_000);
  });

  it("a 40,000-entry CRL (line-aligned table): every listed serial found, every unlisted one not, about 1 in 9 entries past its home bucket", () => {
    const rnd = mulberry32(SEED + 1);
    const c = buildCase(rnd, 40_000);
    const { present, absent, wrong } = check(rnd, c);
    expect(wrong).toEqual([]);
    expect(present).toBeGreaterThan(80_000);
    expect(absent).toBeGreaterThan(100_000);
    // 2 entries per 3-slot bucket: about 1 entry in 9 does not fit its home bucket
    expect(c.index.displaced / c.index.count).toBeGreaterThan(0.05);
    expect(c.index.displaced / c.index.count).toBeLessThan(0.2);
    // building visits ≈ 1.4 buckets per entry (the overflow walks a few lines each)
    expect(c.index.probes / c.index.count).toBeLessThan(2);
  });
});
