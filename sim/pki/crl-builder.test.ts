import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrlReason, NO_REASON, RevokedEntriesBuilder, buildCrl, revokedContentSize } from "./crl-builder.js";
import { REASON_ABSENT, parseCrl } from "./crl-index.js";
import { createJpkiRoot, type JpkiRoot } from "./jpki-profiles.js";
import { generateKey } from "./signer.js";
import { Scratch, openssl } from "./test-support.js";

const NOW = Date.UTC(2026, 0, 15, 3, 0, 0);
let root: JpkiRoot;
let tmp: Scratch;

beforeAll(() => {
  root = createJpkiRoot({ kind: "sign", signer: generateKey("rsa2048").signer, notBefore: NOW - 86_400_000 });
  tmp = new Scratch();
});
afterAll(() => tmp.dispose());

describe("reasonCode unspecified (RFC 5280 §5.3.1)", () => {
  it("an entry given `unspecified` is written with no reasonCode extension (regression: it was written as reasonCode 0)", () => {
    const b = new RevokedEntriesBuilder(8, 4);
    b.add(Uint8Array.of(1), NOW, CrlReason.unspecified);
    b.add(Uint8Array.of(2), NOW, CrlReason.keyCompromise);
    b.add(Uint8Array.of(3), NOW, NO_REASON);
    const entries = b.build();
    const der = buildCrl(
      {
        issuer: root.name,
        authorityKeyId: root.keyId,
        thisUpdate: NOW,
        nextUpdate: NOW + 86_400_000,
        crlNumber: 1,
        entries,
      },
      root.signer,
    );
    const crl = parseCrl(der);
    expect(crl.entries.reason(crl.entries.find(Uint8Array.of(1)))).toBe(REASON_ABSENT);
    expect(crl.entries.reason(crl.entries.find(Uint8Array.of(2)))).toBe(CrlReason.keyCompromise);
    expect(crl.entries.reason(crl.entries.find(Uint8Array.of(3)))).toBe(REASON_ABSENT);
    // sizing agrees with the writer: entries 1 and 3 have no extension (2 + 3 + 15), entry 2 has 14 more
    expect(revokedContentSize(entries)).toBe(3 * 20 + 14);
    const text = openssl("crl", "-inform", "DER", "-in", tmp.file("u.crl", der), "-noout", "-text").out;
    expect(text.match(/CRL Reason Code/g)).toHaveLength(1);
    expect(text).not.toContain("Unspecified");
  });

  it("reason values outside RFC 5280 are still refused", () => {
    const b = new RevokedEntriesBuilder(8, 1);
    b.add(Uint8Array.of(9), NOW, 7);
    expect(() =>
      buildCrl(
        {
          issuer: root.name,
          authorityKeyId: root.keyId,
          thisUpdate: NOW,
          nextUpdate: NOW + 1000,
          crlNumber: 1,
          entries: b.build(),
        },
        root.signer,
      ),
    ).toThrow(/bad CRLReason 7 at entry 0/);
  });
});
