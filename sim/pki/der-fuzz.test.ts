import { beforeAll, describe, expect, it } from "vitest";
import type { FuzzCorpus, FuzzTally, FuzzTarget } from "./der-fuzz.js";
import {
  buildFuzzCorpus,
  certificateTarget,
  crlTarget,
  derReaderTarget,
  jpkiSanTarget,
  mutate,
  nameTarget,
  runFuzz,
  tlvOffsets,
} from "./der-fuzz.js";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { DerError } from "./errors.js";

let corpus: FuzzCorpus;
beforeAll(() => {
  corpus = buildFuzzCorpus();
});

/** Inputs per parser: tens of thousands, a second or two each. */
const N = 20_000;

function expectSane(t: FuzzTally): void {
  expect(t.inputs).toBe(N);
  expect(t.parsed + t.derErrors + t.pkiErrors).toBe(N);
  // the mutants reach both outcomes: some survive, most are rejected
  expect(t.parsed).toBeGreaterThan(N / 100);
  expect(t.derErrors).toBeGreaterThan(N / 2);
}

describe("the fuzz harness", () => {
  it("accepts every unmutated corpus item with every target", () => {
    for (const c of [...corpus.certificates, ...corpus.crls, ...corpus.names]) derReaderTarget(c);
    for (const c of corpus.certificates) certificateTarget(c);
    for (const c of corpus.crls) crlTarget(c);
    for (const c of corpus.names) nameTarget(c);
    for (const c of corpus.altNames) jpkiSanTarget(corpus.signatureCertificate)(c);
  });

  it("fails, with the seed, input number and hex, on an error that is not a typed PKI error", () => {
    const untyped: FuzzTarget = (b) => {
      if (b.length > 0) throw new RangeError("Maximum call stack size exceeded");
    };
    expect(() => runFuzz(untyped, corpus.names, 10, 7)).toThrow(
      /fuzz seed 7, input \d+ \(corpus item \d+\) threw RangeError: Maximum call stack size exceeded\ninput: [0-9a-f]+/,
    );
    const typed: FuzzTarget = () => {
      throw new DerError("x", 0, "rejected");
    };
    expect(runFuzz(typed, corpus.names, 10, 7)).toMatchObject({ inputs: 10, derErrors: 10, parsed: 0 });
  });

  it("mutates deterministically from the seed, within the size bound", () => {
    const base = corpus.crls[0]!;
    const offs = tlvOffsets(base);
    expect(offs[0]).toBe(0);
    const a = mulberry32(99);
    const b = mulberry32(99);
    for (let i = 0; i < 200; i++) {
      const x = mutate(a, base, offs);
      expect(Buffer.from(x).equals(mutate(b, base, offs))).toBe(true);
      expect(x.length).toBeLessThanOrEqual(base.length + 3 * 1_000 + 64);
    }
  });
});

describe("mutation fuzzing: every input parses or throws DerError/PkiError (seed 1)", () => {
  it(`DerReader: ${N} mutants of certificates, CRLs and Names walked TLV by TLV`, () => {
    expectSane(runFuzz(derReaderTarget, [...corpus.certificates, ...corpus.crls, ...corpus.names], N, 1));
  });

  it(`parseCertificate (+ formatName, readJpkiSan): ${N} mutants of J-LIS roots and end-entity certificates`, () => {
    expectSane(runFuzz(certificateTarget, corpus.certificates, N, 1));
  });

  it(`parseCrl: ${N} mutants; on acceptance every entry's date, reason and lookup work`, () => {
    expectSane(runFuzz(crlTarget, corpus.crls, N, 1));
  });

  it(`decodeName / formatName: ${N} mutants of JPKI Names (UTF8String, PrintableString, IA5String, BMPString)`, () => {
    expectSane(runFuzz(nameTarget, corpus.names, N, 1));
  });

  it(`readJpkiSan: ${N} mutants of the signature certificate's subjectAltName and the root's`, () => {
    expectSane(runFuzz(jpkiSanTarget(corpus.signatureCertificate), corpus.altNames, N, 1));
  });
});
