import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MyNumberCard } from "../card/card.js";
import { parseCertificate, readJpkiSan } from "../pki/index.js";
import { Scratch, openssl, pem } from "../pki/test-support.js";
import { AUTH_OUTCOMES, RelyingParty, authenticate, buildSampleCrl, cardAuthenticate } from "./card-auth.js";
import { myNumberCheckDigit } from "../numbers/my-number.js";
import type { PersonalisedSample } from "./personalise.js";
import {
  DEFAULT_ISSUED_AT,
  SAMPLE_PINS,
  personaliseCards,
  sampleCardPersonalisation,
} from "./personalise.js";
import { CryptoPool } from "./pool.js";

// Keys come from the project's key cache (.cache/keys): the first run generates 8 RSA-2048 keys,
// later runs reuse them.
const AT = DEFAULT_ISSUED_AT + 30 * 86_400_000;
let two: CryptoPool;
let a: PersonalisedSample;
let b: PersonalisedSample;
beforeAll(async () => {
  two = new CryptoPool({ threads: 2 });
  a = await personaliseCards(3, { threads: 1 });
  b = await personaliseCards(3, { pool: two });
});
afterAll(() => two.destroy());

describe("personaliseCards", () => {
  it("is identical with 1 and 2 threads and reuses cached keys", () => {
    expect(b.cas).toEqual(a.cas);
    expect(b.cards).toEqual(a.cards);
    expect(b.stats).toMatchObject({
      keysFromCache: 8,
      keysGenerated: 0,
      certificatesIssued: 6,
      signaturesMade: 14,
    });
    expect(a.stats.keysFromCache + a.stats.keysGenerated).toBe(8);
    expect(b.stats.caSignaturesPerSecond).toBeGreaterThan(0);
  });

  it("issues JPKI certificates that node:crypto and OpenSSL accept under the sample roots", () => {
    const tmp = new Scratch();
    try {
      const card = a.cards[1]!;
      const authRoot = tmp.file("auth-root.pem", pem("CERTIFICATE", a.cas.auth.certificate));
      const signRoot = tmp.file("sign-root.pem", pem("CERTIFICATE", a.cas.sign.certificate));
      const auth = tmp.file("auth.pem", pem("CERTIFICATE", card.authCertificate));
      const sign = tmp.file("sign.pem", pem("CERTIFICATE", card.signCertificate!));
      const at = String(Math.floor(AT / 1000));
      expect(openssl("verify", "-attime", at, "-CAfile", authRoot, auth).out).toContain(": OK");
      expect(openssl("verify", "-attime", at, "-CAfile", signRoot, sign).out).toContain(": OK");
      expect(openssl("verify", "-attime", at, "-CAfile", authRoot, sign).status).not.toBe(0);
      expect(
        new X509Certificate(card.authCertificate).verify(
          new X509Certificate(a.cas.auth.certificate).publicKey,
        ),
      ).toBe(true);
    } finally {
      tmp.dispose();
    }
    for (const card of a.cards) {
      const auth = parseCertificate(card.authCertificate);
      const sign = parseCertificate(card.signCertificate!);
      expect(auth.spki).toEqual(card.authKey.spki);
      expect(sign.spki).toEqual(card.signKey!.spki);
      expect(auth.notBefore).toBe(Math.floor(DEFAULT_ISSUED_AT / 1000) * 1000);
      expect(readJpkiSan(sign).name).toBe(card.holder.name);
      expect(card.myNumber).toMatch(/^[1-9][0-9]{11}$/);
      expect(Number(card.myNumber[11])).toBe(myNumberCheckDigit(card.myNumber.slice(0, 11)));
    }
    expect(new Set(a.cards.map((c) => c.myNumber)).size).toBe(3);
  });

  it("makes cards without signature certificates, and next-generation P-384 cards", async () => {
    const minors = await personaliseCards(2, { pool: two, withSignatureCertificate: false, cas: a.cas });
    expect(minors.cards.every((c) => c.signCertificate === null && c.signKey === null)).toBe(true);
    expect(minors.stats).toMatchObject({ certificatesIssued: 2, keysFromCache: 2 });
    const card = new MyNumberCard(sampleCardPersonalisation(minors.cards[0]!, a.cas));
    expect(card.hasSignatureCert).toBe(false);

    const next = await personaliseCards(1, { pool: two, profile: "nextGen", cacheDir: null });
    expect(next.stats).toMatchObject({ keysGenerated: 4, keysFromCache: 0, certificatesIssued: 2 });
    expect(parseCertificate(next.cards[0]!.authCertificate).signatureAlgorithm).toBe("ecdsaWithSHA384");
    expect(() => sampleCardPersonalisation(next.cards[0]!, next.cas)).toThrow(/RSA-2048/);
  });
});

describe("card authentication (APDUs + certificate, signature and CRL checks)", () => {
  const challenge = new TextEncoder().encode("Myna Portal log-in nonce 8f1c");

  function handedOver(i = 0): MyNumberCard {
    const card = new MyNumberCard(sampleCardPersonalisation(a.cards[i]!, a.cas));
    card.unlockAtCounter();
    return card;
  }

  it("authenticates a handed-over sample card and rejects what it should", () => {
    const crl = buildSampleCrl(a.cas.auth, {
      revoked: [parseCertificate(a.cards[2]!.authCertificate).serial],
      filler: 1000,
    });
    const rp = new RelyingParty(a.cas.auth.certificate, crl);
    expect(rp.crl?.entries.count).toBe(1001);
    expect(authenticate(handedOver(0), SAMPLE_PINS.auth, challenge, rp, AT)).toBe("ok");
    expect(authenticate(handedOver(2), SAMPLE_PINS.auth, challenge, rp, AT)).toBe("revoked");
    expect(authenticate(handedOver(0), "9999", challenge, rp, AT)).toBe("card");
    expect(authenticate(handedOver(0), SAMPLE_PINS.auth, challenge, rp, AT + 20 * 365 * 86_400_000)).toBe(
      "expired",
    );
    const locked = new MyNumberCard(sampleCardPersonalisation(a.cards[0]!, a.cas));
    expect(authenticate(locked, SAMPLE_PINS.auth, challenge, rp, AT)).toBe("card");
    const answer = cardAuthenticate(handedOver(1), SAMPLE_PINS.auth, challenge);
    expect(answer.certificate).toEqual(a.cards[1]!.authCertificate);
    expect(answer.apdus).toBeGreaterThanOrEqual(10);
    expect(rp.check(answer.certificate, new TextEncoder().encode("other"), answer.signature, AT)).toBe(
      "signature",
    );
    // The signature certificate is not an authentication certificate of this root.
    expect(rp.check(a.cards[1]!.signCertificate!, challenge, answer.signature, AT)).toBe("certificate");
  });

  it("runs as pool tasks with the same outcomes on 1 and 2 threads", async () => {
    const tmp = new Scratch();
    try {
      const crlPath = tmp.file(
        "auth.crl",
        buildSampleCrl(a.cas.auth, {
          revoked: [parseCertificate(a.cards[1]!.authCertificate).serial],
          filler: 100,
        }),
      );
      const tasks = a.cards.map(
        (card) =>
          ({
            op: "authenticate",
            card,
            cas: a.cas,
            pin: SAMPLE_PINS.auth,
            crlPath,
            at: AT,
            challenges: Array.from({ length: 4 }, (_, i) => Uint8Array.of(i, card.index)),
          }) as const,
      );
      const one = new CryptoPool({ threads: 1 });
      const r1 = await one.run(tasks);
      const r2 = await two.run(tasks);
      expect(r2).toEqual(r1);
      const names = r1.map((r) => [...r.outcomes].map((o) => AUTH_OUTCOMES[o]));
      expect(names).toEqual([Array(4).fill("ok"), Array(4).fill("revoked"), Array(4).fill("ok")]);
    } finally {
      tmp.dispose();
    }
  });
});
