/**
 * Bounded mutation fuzzing of the DER parsers (DESIGN.md §9; issue 7, reliability): a corpus of real
 * artefacts from the project's own builders (J-LIS roots, signature and authentication certificates,
 * full, delta, partitioned and empty CRLs, Names, subjectAltNames), mutators driven by the project's
 * mulberry32 (bit flips, byte overwrite, insert and delete, length-field and tag tweaks, truncation,
 * splices, long runs), and one target per parser. The contract every target checks: an input either
 * parses or throws one of the project's typed PKI errors ({@link DerError}, {@link PkiError}); any
 * other exception — or an index accessor failing on a CRL that {@link parseCrl} accepted — is a
 * defect, reported with the seed, the input number and the input's hex. Shared by the fuzz tests and
 * bench/fuzz-der.ts (the long mode).
 * @module
 */
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { CertificateView } from "./certificate.js";
import { parseCertificate, readGeneralNames } from "./certificate.js";
import { serialFromBigInt } from "./certificate-builder.js";
import { CrlReason, NO_REASON, RevokedEntriesBuilder, buildCrl } from "./crl-builder.js";
import { REASON_ABSENT, isCrlReason, parseCrl } from "./crl-index.js";
import { DerReader, toHex } from "./der-reader.js";
import { DerWriter, Tag } from "./der-writer.js";
import { DerError, PkiError } from "./errors.js";
import {
  createJpkiRoot,
  crlPartitionName,
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  jlisRootName,
  readJpkiSan,
} from "./jpki-profiles.js";
import { decodeName, encodeName, formatName } from "./names.js";
import { OID } from "./oids.js";
import { generateKey } from "./signer.js";
import {
  MAX_CERTIFICATE_BYTES,
  MAX_OID_OCTETS,
  MAX_OID_SUBIDENTIFIER_OCTETS,
  MAX_STRING_BYTES,
} from "./limits.js";
import { decodeTime } from "./time.js";

/** A parser under test: returns normally on acceptance, throws on rejection. */
export type FuzzTarget = (input: Uint8Array) => void;

/** Outcome counts of one fuzz run. */
export interface FuzzTally {
  /** Inputs tried. */
  inputs: number;
  /** Inputs the target accepted. */
  parsed: number;
  /** Inputs rejected with a {@link DerError}. */
  derErrors: number;
  /** Inputs rejected with a {@link PkiError}. */
  pkiErrors: number;
  /** Inputs that were size-limit rejections (a subset of `derErrors`). */
  limitErrors: number;
}

/** Seed artefacts of the fuzzers: real DER from the project's builders. */
export interface FuzzCorpus {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly names: readonly Uint8Array[];
  /** subjectAltName / issuerAltName extnValues (SEQUENCE OF GeneralName). */
  readonly altNames: readonly Uint8Array[];
  /** A parsed signature certificate, the frame for {@link jpkiSanTarget}. */
  readonly signatureCertificate: CertificateView;
}

/** CRLReason values the corpus CRLs use. */
const CORPUS_REASONS: readonly number[] = [
  CrlReason.unspecified,
  CrlReason.keyCompromise,
  CrlReason.affiliationChanged,
  CrlReason.superseded,
  CrlReason.cessationOfOperation,
  CrlReason.certificateHold,
  CrlReason.privilegeWithdrawn,
];

const T0 = Date.UTC(2024, 3, 1, 9, 30, 0);
const DAY = 86_400_000;

/**
 * Build the corpus: one RSA-2048 root key (RSA signatures are deterministic, so every run has the
 * same layout; only key and signature bytes differ) and a P-384 key for a next-generation certificate.
 * Serials, names and times are fixed.
 */
export function buildFuzzCorpus(): FuzzCorpus {
  const rootKey = generateKey("rsa2048");
  const ecKey = generateKey("p384");
  const serial = (n: number): Uint8Array => serialFromBigInt(BigInt(n) * 0x1_0000_0001n + 0x4a5b6cn);
  const signRoot = createJpkiRoot({
    kind: "sign",
    signer: rootKey.signer,
    notBefore: T0 - DAY,
    serial: serial(1),
  });
  const authRoot = createJpkiRoot({
    kind: "auth",
    signer: rootKey.signer,
    notBefore: T0 - DAY,
    serial: serial(2),
  });
  const facts = {
    name: "山田　花子",
    birthDate: "1990-02-17",
    sex: 2 as const,
    address: "東京都清瀬市中里一丁目１番地",
    prefecture: "Tokyo",
    municipality: "Kiyose-shi",
  };
  const sign = issueSignatureCertificate({
    issuer: signRoot,
    spki: rootKey.signer.spki,
    issuedAt: T0,
    birthDate: facts.birthDate,
    serial: serial(3),
    commonName: "997794E9AGCIEG13221003A",
    crlPartition: "Kiyose-shi",
    crlPartitionGroup: "Tokyo",
    facts,
  });
  const auth = issueAuthenticationCertificate({
    issuer: authRoot,
    spki: rootKey.signer.spki,
    issuedAt: T0,
    birthDate: "1985-04-01",
    serial: serial(4),
    commonName: "997794E9AGCIEG13221004B",
  });
  const nextGen = issueAuthenticationCertificate({
    issuer: authRoot,
    spki: ecKey.signer.spki,
    issuedAt: T0,
    birthDate: "2001-02-28",
    profile: "nextGen",
    serial: serial(5),
    commonName: "997794E9AGCIEG13221005C",
  });

  const crl = (
    n: number,
    reasons: boolean,
    extra: Partial<Parameters<typeof buildCrl>[0]> = {},
  ): Uint8Array => {
    const b = new RevokedEntriesBuilder(16, 16);
    for (let i = 0; i < n; i++)
      b.add(
        serial(100 + i * 7919),
        T0 - (i + 1) * 3_600_000 * 7,
        reasons ? CORPUS_REASONS[i % CORPUS_REASONS.length]! : NO_REASON,
      );
    return buildCrl(
      {
        issuer: authRoot.name,
        authorityKeyId: authRoot.keyId,
        thisUpdate: T0,
        nextUpdate: T0 + DAY,
        crlNumber: 42,
        entries: b.build(),
        ...extra,
      },
      rootKey.signer,
    );
  };
  const crls = [
    crl(12, true, { freshestCrl: crlPartitionName("auth", "delta") }),
    crl(6, false),
    crl(3, true, { crlNumber: 43, deltaBaseCrlNumber: 42 }),
    crl(4, true, { distributionPoint: crlPartitionName("auth", "P0003"), onlyContainsUserCerts: true }),
    crl(0, false, { thisUpdate: Date.UTC(2050, 0, 1), nextUpdate: Date.UTC(2050, 0, 2) }),
  ];

  const signView = parseCertificate(sign);
  const altNames: Uint8Array[] = [];
  for (const c of [signView, parseCertificate(signRoot.der)])
    for (const x of c.extensions)
      if (x.oid === OID.subjectAltName || x.oid === OID.issuerAltName) altNames.push(x.value);
  const bmp = new DerWriter(64);
  bmp.begin(Tag.SEQUENCE);
  bmp.begin(Tag.SET);
  bmp.begin(Tag.SEQUENCE);
  bmp.oid(OID.commonName);
  bmp.primitive(0x1e, Uint8Array.of(0x65, 0xe5, 0x67, 0x2c, 0x00, 0x41)); // BMPString 日本A
  bmp.end();
  bmp.end();
  bmp.begin(Tag.SET);
  bmp.begin(Tag.SEQUENCE);
  bmp.oid(OID.organizationName);
  bmp.primitive(0x16, new TextEncoder().encode("jpki@example.jp")); // IA5String
  bmp.end();
  bmp.end();
  bmp.end();
  const names = [
    jlisRootName("sign"),
    signView.subject,
    parseCertificate(auth).subject,
    crlPartitionName("sign", "Kiyose-shi", "Tokyo"),
    encodeName([
      ["serialNumber", "A1234567"],
      ["L", "清瀬市"],
    ]),
    bmp.finishCopy(),
  ];
  return {
    certificates: [signRoot.der, authRoot.der, sign, auth, nextGen],
    crls,
    names,
    altNames,
    signatureCertificate: signView,
  };
}

/** One TLV of a well-formed corpus item: offsets and the index of its enclosing TLV (-1 at the top). */
export interface TlvNode {
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
  readonly parent: number;
  readonly constructed: boolean;
}

/**
 * Every TLV of well-formed DER with its parent (iterative walk), also inside OCTET STRINGs and
 * BIT STRINGs that wrap DER (extnValue, subjectPublicKey): where length, tag and inflate mutations aim.
 */
export function tlvTree(der: Uint8Array): TlvNode[] {
  const out: TlvNode[] = [];
  const r = new DerReader(der);
  const stack: number[] = [0, der.length, -1];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const limit = stack.pop()!;
    let pos = stack.pop()!;
    while (pos < limit) {
      const end = r.read(pos, limit, "corpus");
      const index = out.length;
      const constructed = (r.tag & 0x20) !== 0;
      out.push({ start: pos, valueStart: r.valueStart, end, parent, constructed });
      if (constructed) stack.push(r.valueStart, r.valueEnd, index);
      else if (r.tag === Tag.OCTET_STRING || r.tag === Tag.BIT_STRING) {
        const s = r.tag === Tag.BIT_STRING ? r.valueStart + 1 : r.valueStart;
        const e = r.valueEnd;
        try {
          if (s < e && new DerReader(der).read(s, e, "corpus") === e) stack.push(s, e, index);
        } catch {
          // not nested DER
        }
      }
      pos = end;
    }
  }
  return out;
}

/** DER header (tag, minimal length) for `length` content octets. */
function header(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Uint8Array.of(tag, 0x80 | octets.length, ...octets);
}

/**
 * `der` with the content of primitive TLV `nodes[i]` resized to `length` octets (kept, then padded
 * with `fill`) and every enclosing length re-encoded, so the result is well formed up to the one
 * oversized value — the shape of the issue's inputs (a huge OID, a ≈1 MB string, a long INTEGER).
 */
export function inflate(
  der: Uint8Array,
  nodes: readonly TlvNode[],
  i: number,
  length: number,
  fill: number,
): Uint8Array {
  const node = nodes[i]!;
  const content = new Uint8Array(length).fill(fill);
  content.set(der.subarray(node.valueStart, Math.min(node.end, node.valueStart + length)));
  let bytes = concat(header(der[node.start]!, length), content);
  let child = node;
  for (let p = node.parent; p >= 0; p = nodes[p]!.parent) {
    const a = nodes[p]!;
    const inner = concat(der.subarray(a.valueStart, child.start), bytes, der.subarray(child.end, a.end));
    bytes = concat(header(der[a.start]!, inner.length), inner);
    child = a;
  }
  return concat(der.subarray(0, child.start), bytes, der.subarray(child.end));
}

/** Content sizes {@link mutate} inflates values to: just past each parser limit, and ordinary growth. */
const INFLATE_TO = [
  MAX_OID_OCTETS + 1,
  MAX_OID_SUBIDENTIFIER_OCTETS + 1,
  MAX_STRING_BYTES,
  MAX_STRING_BYTES + 1,
  9,
  64,
];
/** Largest inflation: past `MAX_CERTIFICATE_BYTES` and `MAX_NAME_BYTES`. */
const MAX_INFLATE = MAX_CERTIFICATE_BYTES + 1;

/** Longest run of one byte a mutation inserts: past `MAX_STRING_BYTES`, so string limits are reached. */
const MAX_RUN = 5000;
/** Most a mutant grows over its corpus item: one inflation (values plus re-encoded headers) and runs. */
export const MAX_MUTANT_GROWTH = MAX_CERTIFICATE_BYTES + 1 + 1024 + 2 * MAX_RUN;

const INTERESTING_BYTES = [
  0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x31, 0x02, 0x06, 0x0a, 0x17, 0x18,
];
const INTERESTING_TAGS = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1e, 0x1f, 0x30, 0x31, 0x80,
  0xa0, 0xa3,
];

/**
 * One mutant of `input`: 1–3 stacked mutations chosen by `rnd`. `nodes` is the {@link tlvTree} of the
 * unmutated input (later rounds use its offsets as likely header positions). The result is at most
 * {@link MAX_MUTANT_GROWTH} bytes longer than `input`.
 */
export function mutate(rnd: () => number, input: Uint8Array, nodes: readonly TlvNode[]): Uint8Array {
  let b: Uint8Array = input;
  const rounds = 1 + randomInt(rnd, 3);
  for (let round = 0; round < rounds; round++) {
    const n = b.length;
    const at = n === 0 ? 0 : randomInt(rnd, n);
    const tlv =
      nodes.length > 0 ? Math.min(nodes[randomInt(rnd, nodes.length)]!.start, Math.max(0, n - 1)) : 0;
    const kind = randomInt(rnd, 10);
    if (kind === 9) {
      // inflate one primitive value of the unmutated input to a size at or past a limit
      const i = randomInt(rnd, nodes.length);
      if (b !== input || nodes[i]!.constructed) continue;
      const node = nodes[i]!;
      const length =
        rnd() < 0.2
          ? MAX_INFLATE
          : rnd() < 0.5
            ? INFLATE_TO[randomInt(rnd, INFLATE_TO.length)]!
            : node.end - node.valueStart + 1 + randomInt(rnd, 300);
      b = inflate(b, nodes, i, length, [0xff, 0x41, 0x7f, 0x80, 0x01][randomInt(rnd, 5)]!);
      continue;
    }
    switch (kind) {
      case 0: {
        // bit flips
        b = Uint8Array.from(b);
        for (let k = 1 + randomInt(rnd, 4); k > 0 && n > 0; k--)
          b[randomInt(rnd, n)]! ^= 1 << randomInt(rnd, 8);
        break;
      }
      case 1: // overwrite a byte with a random or boundary value
        if (n === 0) break;
        b = Uint8Array.from(b);
        b[at] =
          rnd() < 0.5 ? randomInt(rnd, 256) : INTERESTING_BYTES[randomInt(rnd, INTERESTING_BYTES.length)]!;
        break;
      case 2: {
        // insert 1–16 random bytes
        const ins = Uint8Array.from({ length: 1 + randomInt(rnd, 16) }, () => randomInt(rnd, 256));
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 3: // delete 1–16 bytes
        b = concat(b.subarray(0, at), b.subarray(Math.min(n, at + 1 + randomInt(rnd, 16))));
        break;
      case 4: {
        // length-field tweak at a TLV header
        if (tlv + 1 >= n) break;
        b = Uint8Array.from(b);
        const l = b[tlv + 1]!;
        const choice = randomInt(rnd, 6);
        if (choice === 0) b[tlv + 1] = (l + 1) & 0xff;
        else if (choice === 1) b[tlv + 1] = (l - 1) & 0xff;
        else if (choice === 2)
          b[tlv + 1] = [0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x7f, 0x00][randomInt(rnd, 8)]!;
        else if (choice === 3 && l & 0x80 && tlv + 2 < n)
          b[tlv + 2 + randomInt(rnd, Math.min(l & 0x7f, n - tlv - 2) || 1)]! ^= 1 << randomInt(rnd, 8);
        else if (choice === 4)
          b = concat(b.subarray(0, tlv + 1), Uint8Array.of(0x82, 0x00, l & 0x7f), b.subarray(tlv + 2)); // non-minimal
        else b[tlv + 1] = randomInt(rnd, 256);
        break;
      }
      case 5: // tag change at a TLV header
        if (n === 0) break;
        b = Uint8Array.from(b);
        b[tlv] =
          rnd() < 0.7 ? INTERESTING_TAGS[randomInt(rnd, INTERESTING_TAGS.length)]! : randomInt(rnd, 256);
        break;
      case 6: // truncation
        b = b.subarray(0, at);
        break;
      case 7: {
        // splice: copy a region starting at one TLV over or into another position
        const from = nodes.length > 0 ? Math.min(nodes[randomInt(rnd, nodes.length)]!.start, n) : 0;
        const len = Math.min(n - from, 1 + randomInt(rnd, 64));
        const piece = b.slice(from, from + len);
        b =
          rnd() < 0.5
            ? concat(b.subarray(0, tlv), piece, b.subarray(tlv))
            : concat(b.subarray(0, tlv), piece, b.subarray(Math.min(n, tlv + len)));
        break;
      }
      default: {
        // a long run of one byte (long strings, OIDs, INTEGERs, lengths)
        const run = new Uint8Array(1 + randomInt(rnd, rnd() < 0.9 ? 1000 : MAX_RUN)).fill(
          [0xff, 0x80, 0x41, 0x00, 0x30][randomInt(rnd, 5)]!,
        );
        b = concat(b.subarray(0, at), run, b.subarray(at));
        break;
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Run `count` mutants of the `corpus` through `target` (seeded, deterministic given the corpus).
 * Throws a plain `Error` naming the seed, the input number and the input's hex when the target throws
 * anything but {@link DerError} or {@link PkiError}.
 */
export function runFuzz(
  target: FuzzTarget,
  corpus: readonly Uint8Array[],
  count: number,
  seed: number,
): FuzzTally {
  const rnd = mulberry32(seed);
  const trees = corpus.map(tlvTree);
  const tally: FuzzTally = { inputs: 0, parsed: 0, derErrors: 0, pkiErrors: 0, limitErrors: 0 };
  for (let i = 0; i < count; i++) {
    const k = randomInt(rnd, corpus.length);
    const input = mutate(rnd, corpus[k]!, trees[k]!);
    tally.inputs++;
    try {
      target(input);
      tally.parsed++;
    } catch (e) {
      if (e instanceof DerError) {
        tally.derErrors++;
        if (e.limit !== undefined) tally.limitErrors++;
      } else if (e instanceof PkiError) tally.pkiErrors++;
      else {
        const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        throw new Error(
          `fuzz seed ${seed}, input ${i} (corpus item ${k}) threw ${what}\ninput: ${toHex(input)}`,
          {
            cause: e,
          },
        );
      }
    }
  }
  return tally;
}

/**
 * Walk every TLV of `der` iteratively (no recursion on the input's depth) and decode each primitive
 * by its tag: INTEGER/ENUMERATED, BOOLEAN, OID, BIT STRING, strings, times. Returns the TLV count.
 */
export function walkDer(der: Uint8Array): number {
  const r = new DerReader(der);
  const stack: number[] = [0, der.length];
  let count = 0;
  while (stack.length > 0) {
    const limit = stack.pop()!;
    let pos = stack.pop()!;
    while (pos < limit) {
      const end = r.read(pos, limit, "fuzz");
      count++;
      const tag = r.tag;
      if (tag & 0x20) stack.push(r.valueStart, r.valueEnd);
      else if (tag === Tag.INTEGER || tag === Tag.ENUMERATED) r.bigint("fuzz.INTEGER");
      else if (tag === Tag.BOOLEAN) r.boolean("fuzz.BOOLEAN");
      else if (tag === Tag.OID) r.oid("fuzz.OID");
      else if (tag === Tag.BIT_STRING) {
        if (r.valueEnd - r.valueStart <= 5) r.namedBits("fuzz.BIT STRING");
        else r.bitStringOctets("fuzz.BIT STRING");
      } else if (tag === 0x0c || tag === 0x13 || tag === 0x14 || tag === 0x16 || tag === 0x1e)
        r.string("fuzz.string");
      else if (tag === 0x17 || tag === 0x18) decodeTime(der, tag, r.valueStart, r.valueEnd, "fuzz.time");
      pos = end;
    }
  }
  return count;
}

/** {@link DerReader} target: {@link walkDer}. */
export const derReaderTarget: FuzzTarget = (input) => {
  walkDer(input);
};

/**
 * Certificate target: {@link parseCertificate}; on acceptance its issuer and subject must format (a
 * failure there is a defect), then the J-LIS subjectAltName values are read.
 */
export const certificateTarget: FuzzTarget = (input) => {
  const c = parseCertificate(input, { allowUnknownCritical: true });
  try {
    formatName(c.issuer);
    formatName(c.subject);
  } catch (e) {
    throw new Error(`formatName failed on a Name parseCertificate accepted: ${String(e)}`, { cause: e });
  }
  readJpkiSan(c); // subjectAltName values are checked only here: a typed error is a fair outcome
};

/**
 * CRL target: {@link parseCrl}; on acceptance every index accessor must work on every entry (a
 * revocationDate, a CRLReason or none, the entry found by its own serial) and the issuer must
 * format — a failure there is reported as a defect, not as a typed rejection.
 */
export const crlTarget: FuzzTarget = (input) => {
  const crl = parseCrl(input);
  try {
    let n = 0;
    crl.entries.forEach((h) => {
      n++;
      if (!Number.isFinite(crl.entries.revokedAt(h))) throw new Error(`entry ${n - 1}: revokedAt not finite`);
      const reason = crl.entries.reason(h);
      if (reason !== REASON_ABSENT && !isCrlReason(reason))
        throw new Error(`entry ${n - 1}: reason ${reason}`);
      if (crl.entries.find(crl.entries.serialAt(h)) < 0)
        throw new Error(`entry ${n - 1}: own serial not found`);
    });
    if (n !== crl.entries.count) throw new Error(`forEach saw ${n} entries, count is ${crl.entries.count}`);
    formatName(crl.issuer);
  } catch (e) {
    throw new Error(
      `index or issuer failed on a CRL parseCrl accepted: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
};

/** Name target: {@link decodeName} and {@link formatName}. */
export const nameTarget: FuzzTarget = (input) => {
  decodeName(input);
  formatName(input);
};

/** subjectAltName target: GeneralNames, then {@link readJpkiSan} on a certificate carrying them. */
export function jpkiSanTarget(frame: CertificateView): FuzzTarget {
  return (input) => {
    const r = new DerReader(input);
    const end = r.expect(0, input.length, Tag.SEQUENCE, "subjectAltName");
    r.done(end, input.length, "subjectAltName");
    readJpkiSan({ ...frame, subjectAltNames: readGeneralNames(r, r.valueStart, end, "subjectAltName") });
  };
}
