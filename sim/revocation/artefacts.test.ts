import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { parseCertificate, type CertificateView } from "../pki/certificate.js";
import { randomSerial } from "../pki/certificate-builder.js";
import { RevokedEntriesBuilder, type RevokedEntries } from "../pki/crl-builder.js";
import { parseCrl } from "../pki/crl-index.js";
import { toHex } from "../pki/der-reader.js";
import {
  issueAuthenticationCertificate,
  partitionLabel,
  serialPartition,
  type JpkiRoot,
} from "../pki/jpki-profiles.js";
import { validatePath } from "../pki/path-validation.js";
import { generateKey, type GeneratedKey } from "../pki/signer.js";
import { Scratch, openssl, pem } from "../pki/test-support.js";
import {
  buildCrlArtefacts,
  createSampleRoot,
  crlBytes,
  crlShape,
  entryBytes,
  partitionOf,
  randomEntries,
} from "./artefacts.js";
import { buildStatusResponse } from "./status-response.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 2, 2, 0, 0, 0);
const N = 4;

let root: JpkiRoot;
let ee: GeneratedKey;
let tmp: Scratch;
let rootPem: string;

interface Card {
  view: CertificateView;
  file: string;
  partition: number;
}
const cards: Card[] = [];

function withCards(base: RevokedEntries, extra: readonly Card[], reason: number): RevokedEntries {
  const b = new RevokedEntriesBuilder(
    base.serialWidth === 16 ? 20 : base.serialWidth,
    base.count + extra.length,
  );
  for (let i = 0; i < base.count; i++)
    b.add(base.serials.subarray(i * 16, (i + 1) * 16), base.revocationTimes[i]!, base.reasons![i]!);
  for (const c of extra) b.add(c.view.serial, NOW - HOUR, reason);
  return b.build();
}

beforeAll(() => {
  root = createSampleRoot("auth", 3, NOW - 400 * 24 * HOUR);
  ee = generateKey("rsa2048");
  tmp = new Scratch();
  rootPem = tmp.file("root.pem", pem("CERTIFICATE", root.der));
  for (let i = 0; i < 6; i++) {
    const serial = randomSerial();
    const partition = serialPartition(serial, N);
    const der = issueAuthenticationCertificate({
      issuer: root,
      spki: ee.signer.spki,
      issuedAt: NOW - 24 * HOUR,
      birthDate: "1980-05-05",
      serial,
      crlPartition: partitionLabel(partition),
    });
    cards.push({
      view: parseCertificate(der),
      file: tmp.file(`card-${i}.pem`, pem("CERTIFICATE", der)),
      partition,
    });
  }
});
afterAll(() => tmp.dispose());

const verify = (c: Card, ...args: string[]) => openssl("verify", "-CAfile", rootPem, ...args, c.file);

describe("CRL artefacts built for real (strategies a–c)", () => {
  it("full, delta and every partition parse in OpenSSL, and their sizes equal the size model exactly", () => {
    const rnd = mulberry32(11);
    const full = withCards(randomEntries(rnd, 300, NOW, 3), [cards[0]!], 3);
    const delta = withCards(randomEntries(rnd, 40, NOW, 4), [cards[1]!], 4);
    const a = buildCrlArtefacts({ root, type: "auth", at: NOW, full, delta, partitions: N, crlNumber: 10 });
    const files = {
      full: tmp.file("full.crl", a.full),
      delta: tmp.file("delta.crl", a.delta),
      parts: a.partitions.map((d, i) => tmp.file(`part-${i}.crl`, d)),
    };
    const text = openssl("crl", "-inform", "DER", "-in", files.full, "-noout", "-text");
    expect(text.status).toBe(0);
    expect(text.out.match(/Serial Number:/g)).toHaveLength(301);
    expect(text.out).toContain("Freshest CRL");
    expect(openssl("crl", "-inform", "DER", "-in", files.full, "-noout", "-CAfile", rootPem).out).toContain(
      "verify OK",
    );
    const dt = openssl("crl", "-inform", "DER", "-in", files.delta, "-noout", "-text");
    expect(dt.status).toBe(0);
    expect(dt.out, dt.out.slice(0, 1500)).toMatch(/Delta CRL Indicator: critical\s+(0x)?(10|0A|A)\b/i);
    let partEntries = 0;
    for (const f of files.parts) {
      const t = openssl("crl", "-inform", "DER", "-in", f, "-noout", "-text");
      expect(t.status).toBe(0);
      expect(t.out).toContain("Issuing Distribution Point: critical");
      partEntries += (t.out.match(/Serial Number:/g) ?? []).length;
    }
    expect(partEntries).toBe(301);
    // the size model (crlBytes from the entry-less CRL) is exact: the run relies on it for every day
    // 300 random entries of 49 bytes plus the card's entry (20-byte serial column, same DER length)
    expect(full.count).toBe(301);
    // a random 16-byte serial with its high bit set gets a sign octet: count the real DER per entry
    const perEntry = entryBytes(16);
    const rndOnly = randomEntries(mulberry32(3), 500, NOW, 3);
    const b = buildCrlArtefacts({
      root,
      type: "auth",
      at: NOW,
      full: rndOnly,
      delta: rndOnly,
      partitions: 2,
      crlNumber: 5,
    });
    expect(b.full.length).toBe(crlBytes(crlShape(b.empty.full), 500, perEntry));
    expect(b.delta.length).toBe(crlBytes(crlShape(b.empty.delta), 500, perEntry));
    const p0 = partitionOf(rndOnly, 0, 2).count;
    expect(b.partitions[0]!.length).toBe(crlBytes(crlShape(b.empty.partition), p0, perEntry));
    expect(crlBytes(crlShape(b.empty.full), 0, perEntry)).toBe(b.empty.full.length);
  });

  it("openssl verify -crl_check: (a) the full CRL revokes its card; (b) -use_deltas applies the delta; (c) -extended_crl picks the partition in the certificate's CRL DP", () => {
    const rnd = mulberry32(12);
    const full = withCards(randomEntries(rnd, 50, NOW, 3), [cards[0]!], 3);
    const delta = withCards(randomEntries(rnd, 5, NOW, 4), [cards[1]!], 4);
    const a = buildCrlArtefacts({ root, type: "auth", at: NOW, full, delta, partitions: N, crlNumber: 20 });
    const fullPem = tmp.file("v-full.pem", pem("X509 CRL", a.full));
    const both = tmp.file("v-both.pem", pem("X509 CRL", a.full) + pem("X509 CRL", a.delta));
    const parts = tmp.file("v-parts.pem", a.partitions.map((d) => pem("X509 CRL", d)).join(""));
    const at = ["-attime", String(Math.floor(NOW / 1000) + 60)];
    // (a) the card's certificates name their partition's DP, so the unpartitioned full CRL is out of
    // scope for them under -extended_crl; plain -crl_check uses it
    expect(verify(cards[0]!, ...at, "-crl_check", "-CRLfile", fullPem).out).toContain("certificate revoked");
    expect(verify(cards[2]!, ...at, "-crl_check", "-CRLfile", fullPem).out).toContain(": OK");
    // (b)
    expect(verify(cards[1]!, ...at, "-crl_check", "-CRLfile", fullPem).out).toContain(": OK");
    expect(verify(cards[1]!, ...at, "-crl_check", "-use_deltas", "-CRLfile", both).out).toContain(
      "certificate revoked",
    );
    // (c)
    expect(verify(cards[0]!, ...at, "-crl_check", "-extended_crl", "-CRLfile", parts).out).toContain(
      "certificate revoked",
    );
    for (const c of cards.slice(2))
      expect(verify(c, ...at, "-crl_check", "-extended_crl", "-CRLfile", parts).out).toContain(": OK");
    // only another partition's CRL: out of scope, not "OK"
    const other = a.partitions[(cards[0]!.partition + 1) % N]!;
    const otherFile = tmp.file("v-other.pem", pem("X509 CRL", other));
    expect(verify(cards[0]!, ...at, "-crl_check", "-extended_crl", "-CRLfile", otherFile).out).not.toContain(
      ": OK",
    );
  });

  it("delta semantics: base + delta answers exactly as the full CRL of the same moment, for every serial", () => {
    // a ledger of revocations over 10 days; the base is day 3's full CRL, the delta lists what came after
    const rnd = mulberry32(99);
    const all = randomEntries(rnd, 400, NOW, 3);
    const dayOf = Array.from({ length: all.count }, () => Math.floor(rnd() * 10));
    const pick = (keep: (i: number) => boolean) => {
      const b = new RevokedEntriesBuilder(16, all.count);
      for (let i = 0; i < all.count; i++)
        if (keep(i)) b.add(all.serials.subarray(i * 16, (i + 1) * 16), NOW - HOUR, 3);
      return b.build();
    };
    const base = pick((i) => dayOf[i]! <= 3);
    const delta = pick((i) => dayOf[i]! > 3);
    const fullNow = pick(() => true);
    const a = buildCrlArtefacts({
      root,
      type: "auth",
      at: NOW,
      full: base,
      delta,
      partitions: 1,
      crlNumber: 30,
    });
    const f = buildCrlArtefacts({
      root,
      type: "auth",
      at: NOW,
      full: fullNow,
      delta: pick(() => false),
      partitions: 1,
      crlNumber: 40,
    });
    const pb = parseCrl(a.full);
    const pd = parseCrl(a.delta);
    const pf = parseCrl(f.full);
    expect(pd.deltaBaseCrlNumber).toBe(30n);
    let listed = 0;
    for (let i = 0; i < all.count; i++) {
      const s = all.serials.subarray(i * 16, (i + 1) * 16);
      const inPair = pb.entries.has(s) || pd.entries.has(s);
      expect(inPair).toBe(pf.entries.has(s));
      if (inPair) listed++;
    }
    for (let k = 0; k < 200; k++)
      expect(pb.entries.has(randomSerial()) || pd.entries.has(randomSerial())).toBe(false);
    expect(listed).toBe(all.count);
    // and our validator agrees for a real card revoked after the base
    const b2 = withCards(randomEntries(rnd, 3, NOW, 3), [], 3);
    const d2 = withCards(randomEntries(rnd, 3, NOW, 4), [cards[3]!], 4);
    const c = buildCrlArtefacts({
      root,
      type: "auth",
      at: NOW,
      full: b2,
      delta: d2,
      partitions: 1,
      crlNumber: 50,
    });
    const crls = [parseCrl(c.full), parseCrl(c.delta)];
    const plain = [0, 1].map((i) =>
      parseCertificate(
        issueAuthenticationCertificate({
          issuer: root,
          spki: ee.signer.spki,
          issuedAt: NOW - 24 * HOUR,
          birthDate: "1990-01-01",
          serial: d2.serials.subarray(i * 20, (i + 1) * 20).slice(),
        }),
      ),
    );
    // plain[0]'s serial is random entry 0 of the delta (listed), the card's is the last one
    expect(validatePath(plain[0]!, [root.certificate], crls, NOW + 60_000)).toMatchObject({
      status: "revoked",
    });
    expect(validatePath(plain[0]!, [root.certificate], [crls[0]!], NOW + 60_000)).toMatchObject({
      status: "ok",
    });
    // a delta scoped to the whole CA says nothing about a partition's certificate: the partition's
    // own CRL is needed (RFC 5280 §5.2.4: a delta and its base have the same scope)
    expect(validatePath(cards[3]!.view, [root.certificate], crls, NOW + 60_000).status).not.toBe("ok");
  });

  it("partition scoping: partitionOf splits by serial mod N with nothing lost or duplicated", () => {
    const e = randomEntries(mulberry32(5), 1000, NOW, 3);
    const seen = new Set<string>();
    let total = 0;
    for (let p = 0; p < 8; p++) {
      const part = partitionOf(e, p, 8);
      total += part.count;
      for (let i = 0; i < part.count; i++) {
        const s = part.serials.subarray(i * 16, (i + 1) * 16);
        expect(serialPartition(s, 8)).toBe(p);
        seen.add(toHex(s));
      }
    }
    expect(total).toBe(1000);
    expect(seen.size).toBe(1000);
  });

  it("a partition count outside 1–4096 is a scenario error, not a crash", () => {
    const e = randomEntries(mulberry32(1), 1, NOW, 3);
    expect(() =>
      buildCrlArtefacts({ root, type: "auth", at: NOW, full: e, delta: e, partitions: 0, crlNumber: 1 }),
    ).toThrow(/revocation.strategies.partitions: expected 1–4096, got 0/);
  });
});

describe("status response (strategy d)", () => {
  it("OpenSSL reads it as a Basic OCSP response, verifies the CA's signature and reports the status", () => {
    const c = cards[0]!;
    const serialHex = toHex(c.view.serial);
    const revoked = buildStatusResponse(
      root,
      c.view.serial,
      { status: "revoked", revokedAt: NOW - HOUR, reason: 3 },
      NOW,
      NOW + HOUR,
    );
    const good = buildStatusResponse(root, cards[1]!.view.serial, { status: "good" }, NOW, NOW + HOUR);
    const rf = tmp.file("revoked.ocsp", revoked);
    const gf = tmp.file("good.ocsp", good);
    const text = openssl("ocsp", "-respin", rf, "-resp_text", "-noverify");
    expect(text.out).toContain("Basic OCSP Response");
    expect(text.out).toContain("Cert Status: revoked");
    expect(text.out).toContain("Revocation Reason: affiliationChanged");
    const v = openssl(
      "ocsp",
      "-respin",
      rf,
      "-issuer",
      rootPem,
      "-VAfile",
      rootPem,
      "-serial",
      `0x${serialHex}`,
      "-validity_period",
      "315360000",
    );
    expect(v.out).toContain("Response verify OK");
    expect(v.out).toMatch(/: revoked/);
    const g = openssl(
      "ocsp",
      "-respin",
      gf,
      "-issuer",
      rootPem,
      "-VAfile",
      rootPem,
      "-serial",
      `0x${toHex(cards[1]!.view.serial)}`,
      "-validity_period",
      "315360000",
    );
    expect(g.out).toContain("Response verify OK");
    expect(g.out).toMatch(/: good/);
    // unspecified is never written (RFC 5280 §5.3.1 applies to the reason here too)
    const u = buildStatusResponse(
      root,
      c.view.serial,
      { status: "revoked", revokedAt: NOW - HOUR, reason: 0 },
      NOW,
      NOW + HOUR,
    );
    expect(openssl("ocsp", "-respin", tmp.file("u.ocsp", u), "-resp_text", "-noverify").out).not.toContain(
      "Revocation Reason",
    );
  });
});
