import { beforeAll, describe, expect, it } from "vitest";
import type { FuzzCorpus, FuzzTally, FuzzTarget } from "./der-fuzz.js";
import {
  MAX_MUTANT_GROWTH,
  buildFuzzCorpus,
  certificateTarget,
  crlTarget,
  derReaderTarget,
  jpkiSanTarget,
  mutate,
  nameTarget,
  runFuzz,
  inflate,
  tlvTree,
} from "./der-fuzz.js";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { parseCertificate } from "./certificate.js";
import { DerError } from "./errors.js";
import { MAX_STRING_BYTES } from "./limits.js";
import { formatName } from "./names.js";

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
  // inflated values reach the size limits
  expect(t.limitErrors).toBeGreaterThan(0);
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
    const offs = tlvTree(base);
    expect(offs[0]).toMatchObject({ start: 0, end: base.length, parent: -1, constructed: true });
    const a = mulberry32(99);
    const b = mulberry32(99);
    for (let i = 0; i < 200; i++) {
      const x = mutate(a, base, offs);
      expect(Buffer.from(x).equals(mutate(b, base, offs))).toBe(true);
      expect(x.length).toBeLessThanOrEqual(base.length + MAX_MUTANT_GROWTH);
    }
  });
});

describe("inflate: one value resized, every enclosing length re-encoded", () => {
  it("keeps a certificate well formed, so the oversized value meets its own limit", () => {
    const cert = corpus.certificates[3]!; // the authentication certificate
    const nodes = tlvTree(cert);
    const view = parseCertificate(cert);
    // the subject's CN value: the last primitive inside the subject Name
    const subjectStart = view.subject.byteOffset - cert.byteOffset;
    let cn = -1;
    nodes.forEach((n, k) => {
      const inSubject = n.start > subjectStart && n.end <= subjectStart + view.subject.length;
      if (!n.constructed && inSubject && (cn < 0 || n.start > nodes[cn]!.start)) cn = k;
    });
    expect(cn).toBeGreaterThan(0);
    const at4096 = inflate(cert, nodes, cn, MAX_STRING_BYTES, 0x41);
    const v = parseCertificate(at4096);
    expect(formatName(v.subject)).toMatch(/^C=JP, CN=997794E9AGCIEG13221004BA+$/);
    expect(formatName(v.subject).length).toBe("C=JP, CN=".length + MAX_STRING_BYTES);
    const e = (() => {
      try {
        formatName(parseCertificate(inflate(cert, nodes, cn, MAX_STRING_BYTES + 1, 0x41)).subject);
      } catch (x) {
        return x as DerError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(DerError);
    expect(e!.limit).toBe(MAX_STRING_BYTES);
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
