import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, verifyCertificateSignature } from "./certificate.js";
import { buildCertificate, randomSerial } from "./certificate-builder.js";
import { toHex } from "./der-reader.js";
import { DerError, PkiError } from "./errors.js";
import { basicConstraints, keyUsage } from "./extensions.js";
import type { JpkiRoot } from "./jpki-profiles.js";
import {
  birthdayExpiry,
  createJpkiRoot,
  eraDateOfBirth,
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  jlisRootName,
  readJpkiSan,
} from "./jpki-profiles.js";
import { formatName } from "./names.js";
import type { GeneratedKey } from "./signer.js";
import { generateKey } from "./signer.js";
import { Scratch, openssl, pem } from "./test-support.js";

const NOW = Date.now();
const DAY = 86_400_000;
const facts = {
  name: "山田　花子",
  birthDate: "1990-02-17",
  sex: 2 as const,
  address: "東京都清瀬市中里一丁目１番地",
  prefecture: "Tokyo",
  municipality: "Kiyose-shi",
};

let rootKey: GeneratedKey;
let eeKey: GeneratedKey;
let ecRootKey: GeneratedKey;
let ecEeKey: GeneratedKey;
let signRoot: JpkiRoot;
let authRoot: JpkiRoot;
let nextGenRoot: JpkiRoot;
let tmp: Scratch;

beforeAll(() => {
  rootKey = generateKey("rsa2048");
  eeKey = generateKey("rsa2048");
  ecRootKey = generateKey("p384");
  ecEeKey = generateKey("p384");
  signRoot = createJpkiRoot({ kind: "sign", signer: rootKey.signer, notBefore: NOW - DAY, generation: 3 });
  authRoot = createJpkiRoot({ kind: "auth", signer: rootKey.signer, notBefore: NOW - DAY });
  nextGenRoot = createJpkiRoot({ kind: "sign", signer: ecRootKey.signer, notBefore: NOW - DAY });
  tmp = new Scratch();
});
afterAll(() => tmp.dispose());

describe("J-LIS roots", () => {
  it("carry the FACTS §1.2 DN, CA constraints and key usages, and verify under OpenSSL", () => {
    for (const [name, root] of [
      ["sign", signRoot],
      ["auth", authRoot],
    ] as const) {
      const c = root.certificate;
      expect(formatName(c.subject)).toBe(
        `C=JP, O=JPKI, OU=JPKI for ${name === "sign" ? "digital signature" : "user authentication"}, OU=Japan Agency for Local Authority Information Systems`,
      );
      expect(toHex(c.subject)).toBe(toHex(c.issuer));
      expect(c.basicConstraints).toEqual({ ca: true, pathLen: undefined });
      expect(c.keyUsage).toBe((1 << 5) | (1 << 6));
      expect(toHex(c.subjectKeyId!)).toBe(toHex(c.authorityKeyId!));
      expect(c.crlDistributionPoints).toHaveLength(1);
      expect(verifyCertificateSignature(c, c.spki)).toBe(true);
      const f = tmp.file(`root-${name}.pem`, pem("CERTIFICATE", root.der));
      const text = openssl("x509", "-in", f, "-noout", "-text");
      expect(text.status).toBe(0);
      expect(text.out).toContain("Certificate Sign, CRL Sign");
      expect(text.out).toContain("CA:TRUE");
      expect(text.out).toMatch(/Full Name:\s+DirName:C = JP, O = JPKI/);
      expect(openssl("verify", "-CAfile", f, f).out).toContain(": OK");
      const x = new X509Certificate(root.der);
      expect(x.ca).toBe(true);
      expect(x.checkIssued(x)).toBe(true);
    }
  });
});

describe("end-entity certificates", () => {
  it("signature certificate: 4 basic facts in SAN otherNames, locality DN, nonRepudiation — OpenSSL verifies", () => {
    const der = issueSignatureCertificate({
      issuer: signRoot,
      spki: eeKey.signer.spki,
      issuedAt: NOW - 1000,
      birthDate: facts.birthDate,
      facts,
    });
    const c = parseCertificate(der);
    expect(formatName(c.subject)).toMatch(/^C=JP, L=Tokyo, L=Kiyose-shi, CN=[0-9A-Z]{23}$/);
    expect(c.keyUsage).toBe(0b11);
    expect(readJpkiSan(c)).toEqual({
      name: facts.name,
      dateOfBirth: "419900217", // Heisei 2
      sex: "2",
      address: facts.address,
      nameSubstitute: "00000",
      addressSubstitute: "00000000000000",
    });
    expect(toHex(c.authorityKeyId!)).toBe(toHex(signRoot.keyId));
    const f = tmp.file("sign.pem", pem("CERTIFICATE", der));
    const text = openssl("x509", "-in", f, "-noout", "-text");
    expect(text.status).toBe(0);
    expect(text.out).toContain("Digital Signature, Non Repudiation");
    expect(text.out).toContain("1.2.392.200149.8.5.1.1.20");
    expect(text.out).toContain("Subject: C = JP, L = Tokyo, L = Kiyose-shi, CN = ");
    const v = openssl("verify", "-CAfile", tmp.file("root-sign.pem", pem("CERTIFICATE", signRoot.der)), f);
    expect(v.out).toContain(": OK");
    const x = new X509Certificate(der);
    expect(x.serialNumber.toLowerCase()).toBe(toHex(c.serial).replace(/^00/, ""));
    expect(x.verify(new X509Certificate(signRoot.der).publicKey)).toBe(true);
    expect(x.subjectAltName).toContain("othername");
  });

  it("authentication certificate: anonymous C=JP, CN=<23 chars>, digitalSignature only", () => {
    const der = issueAuthenticationCertificate({
      issuer: authRoot,
      spki: eeKey.signer.spki,
      issuedAt: NOW,
      birthDate: "2015-06-30",
      commonName: "997794E9AGCIEG13221003A",
    });
    const c = parseCertificate(der);
    expect(formatName(c.subject)).toBe("C=JP, CN=997794E9AGCIEG13221003A");
    expect(c.keyUsage).toBe(1);
    expect(c.subjectAltNames).toHaveLength(0);
    const f = tmp.file("auth.pem", pem("CERTIFICATE", der));
    expect(openssl("x509", "-in", f, "-noout", "-text").status).toBe(0);
    expect(
      openssl("verify", "-CAfile", tmp.file("root-auth.pem", pem("CERTIFICATE", authRoot.der)), f).out,
    ).toContain(": OK");
    // issued by the wrong root: the auth root refuses to issue sign certs and vice versa
    expect(() =>
      issueAuthenticationCertificate({
        issuer: signRoot,
        spki: eeKey.signer.spki,
        issuedAt: NOW,
        birthDate: "2015-06-30",
      }),
    ).toThrow(PkiError);
  });

  it("next-generation profile: ECDSA P-384 / ecdsa-with-SHA384, 10th birthday — OpenSSL verifies", () => {
    const der = issueSignatureCertificate({
      issuer: nextGenRoot,
      spki: ecEeKey.signer.spki,
      issuedAt: NOW,
      birthDate: facts.birthDate,
      facts,
      profile: "nextGen",
    });
    const c = parseCertificate(der);
    expect(c.signatureAlgorithm).toBe("ecdsaWithSHA384");
    expect(c.notAfter).toBe(birthdayExpiry(NOW, facts.birthDate, 10));
    const f = tmp.file("ng.pem", pem("CERTIFICATE", der));
    const text = openssl("x509", "-in", f, "-noout", "-text");
    expect(text.out).toContain("ecdsa-with-SHA384");
    expect(text.out).toContain("NIST CURVE: P-384");
    expect(
      openssl("verify", "-CAfile", tmp.file("ngroot.pem", pem("CERTIFICATE", nextGenRoot.der)), f).out,
    ).toContain(": OK");
    expect(new X509Certificate(der).verify(new X509Certificate(nextGenRoot.der).publicKey)).toBe(true);
    // an RSA key is out of the next-generation profile
    expect(() =>
      issueSignatureCertificate({
        issuer: nextGenRoot,
        spki: eeKey.signer.spki,
        issuedAt: NOW,
        birthDate: facts.birthDate,
        facts,
        profile: "nextGen",
      }),
    ).toThrow(/P-384/);
  });
});

describe("validity rules (FACTS §1.4)", () => {
  it("ends at 23:59:59 JST on the 5th birthday after issuance", () => {
    // the real test card: issued 2025-10-27, birthday 02-17 → notAfter 2030-02-17
    expect(new Date(birthdayExpiry(Date.UTC(2025, 9, 27, 1), "1980-02-17")).toISOString()).toBe(
      "2030-02-17T14:59:59.000Z",
    );
    // issued on the birthday itself: that day does not count
    expect(new Date(birthdayExpiry(Date.UTC(2025, 1, 17, 3), "1980-02-17")).toISOString()).toBe(
      "2030-02-17T14:59:59.000Z",
    );
    expect(new Date(birthdayExpiry(Date.UTC(2025, 1, 16, 3), "1980-02-17")).toISOString()).toBe(
      "2029-02-17T14:59:59.000Z",
    );
    // 29 February in a common year
    expect(new Date(birthdayExpiry(Date.UTC(2025, 5, 1), "2000-02-29")).toISOString()).toBe(
      "2030-02-28T14:59:59.000Z",
    );
    expect(eraDateOfBirth("1899-12-01")).toBe("118991201");
    expect(eraDateOfBirth("2019-05-01")).toBe("520190501");
    expect(eraDateOfBirth("1989-01-07")).toBe("319890107");
  });
});

describe("malformed and non-conforming certificates", () => {
  const good = (): Uint8Array =>
    issueAuthenticationCertificate({
      issuer: authRoot,
      spki: eeKey.signer.spki,
      issuedAt: NOW,
      birthDate: "2000-01-01",
    });

  it("truncated, bad length, trailing garbage → DerError with offset; never a crash", () => {
    const der = good();
    expect(() => parseCertificate(der.subarray(0, der.length - 10))).toThrow(DerError);
    const trailing = new Uint8Array([...der, 0, 0]);
    expect(() => parseCertificate(trailing)).toThrow(/2 unexpected trailing byte/);
    const badLen = Uint8Array.from(der);
    badLen[1] = 0x80; // indefinite
    expect(() => parseCertificate(badLen)).toThrow(/indefinite length/);
    for (let cut = 0; cut < der.length; cut += 37)
      expect(() => parseCertificate(der.subarray(0, cut))).toThrow(DerError);
    expect(
      openssl("x509", "-inform", "DER", "-in", tmp.file("trunc.der", der.subarray(0, 300)), "-noout").status,
    ).not.toBe(0);
  });

  it("a tampered certificate fails signature verification", () => {
    const der = Uint8Array.from(good());
    const c0 = parseCertificate(der);
    der[c0.tbs.byteOffset - der.byteOffset + 20]! ^= 1; // inside the serial
    expect(verifyCertificateSignature(parseCertificate(der), authRoot.certificate.spki)).toBe(false);
  });

  it("unknown critical extension → PkiError (and OpenSSL refuses it too)", () => {
    const der = buildCertificate(
      {
        serial: randomSerial(),
        issuer: jlisRootName("auth"),
        subject: jlisRootName("auth"),
        notBefore: NOW - DAY,
        notAfter: NOW + DAY,
        spki: eeKey.signer.spki,
        extensions: [
          keyUsage([0]),
          basicConstraints(false),
          { oid: "1.2.3.4.5", critical: true, value: Uint8Array.of(5, 0) },
        ],
      },
      authRoot.signer,
    );
    let err: unknown;
    try {
      parseCertificate(der);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PkiError);
    expect((err as PkiError).code).toBe("E_PKI_UNKNOWN_CRITICAL_EXTENSION");
    expect(parseCertificate(der, { allowUnknownCritical: true }).unknownCriticalExtensions).toEqual([
      "1.2.3.4.5",
    ]);
    const v = openssl(
      "verify",
      "-CAfile",
      tmp.file("root-auth.pem", pem("CERTIFICATE", authRoot.der)),
      tmp.file("uce.pem", pem("CERTIFICATE", der)),
    );
    expect(v.out).toMatch(/unsupported certificate extension|unhandled critical extension/);
  });
});
