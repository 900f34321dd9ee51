/**
 * Demo PKI for the service tests and the load benchmark (bench/load.ts): a CA directory (auth root + its signed CRL,
 * written as `pki export` names them) and simulated cards (sim/card `MyNumberCard`, RSA-2048 keys
 * from the project's key cache) that answer challenges through their APDUs (SELECT, READ BINARY,
 * VERIFY PIN, COMPUTE DIGITAL SIGNATURE: sim/crypto `cardAuthenticate`). Real keys and signatures.
 * @module
 */
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MyNumberCard } from "../card/card.js";
import { buildSampleCrl, cardAuthenticate } from "../crypto/card-auth.js";
import type { SampleCas } from "../crypto/personalise.js";
import { SAMPLE_PINS, personaliseCards, sampleCardPersonalisation } from "../crypto/personalise.js";
import { parseCertificate } from "../pki/index.js";

const DAY = 86_400_000;

/** A card with its holder's PIN and its auth certificate's serial. */
export interface TestCard {
  readonly card: MyNumberCard;
  readonly certificate: Uint8Array;
  readonly serial: Uint8Array;
  /** PKCS#8 DER of the card's authentication key (the benchmark signs challenges in bulk with it, off the card). */
  readonly authKeyPkcs8: Uint8Array;
  /** The card's answer to `challenge` through its APDUs: certificate and signature. */
  answer(challenge: Uint8Array): { certificate: Uint8Array; signature: Uint8Array };
}

function testCard(
  c: Awaited<ReturnType<typeof personaliseCards>>["cards"][number],
  cas: SampleCas,
): TestCard {
  const card = new MyNumberCard(sampleCardPersonalisation(c, cas));
  card.unlockAtCounter();
  return {
    card,
    certificate: c.authCertificate,
    serial: parseCertificate(c.authCertificate).serial,
    authKeyPkcs8: c.authKey.pkcs8,
    answer(challenge) {
      const a = cardAuthenticate(card, SAMPLE_PINS.auth, challenge);
      if (a.sw !== 0x9000) throw new Error(`card answered SW ${a.sw.toString(16)}`);
      return { certificate: a.certificate, signature: a.signature };
    },
  };
}

/** A CA directory with good, revoked, expired and foreign cards. */
export interface TestPki {
  readonly dir: string;
  readonly cas: SampleCas;
  /** Valid now, not revoked. */
  readonly good: TestCard[];
  /** Valid now, on the CRL. */
  readonly revoked: TestCard;
  /** Issued by the same root six years ago: past its 5-year validity. */
  readonly expired: TestCard;
  /** Issued by another root with the same name and profile but its own key. */
  readonly foreign: TestCard;
  /** Rewrites auth-crl-full.der listing `revoked` plus `more` (atomically, by rename). */
  writeCrl(more: readonly Uint8Array[], crlNumber: number): void;
}

/**
 * Makes a CA directory under the system temp dir: `goodCards` valid cards (default 2); the CRL lists
 * the revoked card and `crlFiller` further serials (to give it a realistic size).
 */
export async function makeTestPki(goodCards = 2, now = Date.now(), crlFiller = 0): Promise<TestPki> {
  const issuedAt = now - DAY;
  const base = await personaliseCards(goodCards + 1, {
    threads: 1,
    issuedAt,
    withSignatureCertificate: false,
    seed: 11,
  });
  const cas = base.cas;
  const old = await personaliseCards(1, {
    threads: 1,
    cas,
    issuedAt: now - 6 * 365 * DAY,
    withSignatureCertificate: false,
    seed: 12,
  });
  // Fresh keys (no key cache): the cache would hand out the same CA key again.
  const other = await personaliseCards(1, {
    cacheDir: null,
    threads: 1,
    issuedAt,
    withSignatureCertificate: false,
    seed: 13,
  });
  const dir = mkdtempSync(join(tmpdir(), "myna-serve-"));
  const good = base.cards.slice(0, goodCards).map((c) => testCard(c, cas));
  const revoked = testCard(base.cards[goodCards]!, cas);
  const writeCrl = (more: readonly Uint8Array[], crlNumber: number) => {
    const der = buildSampleCrl(cas.auth, {
      revoked: [revoked.serial, ...more],
      thisUpdate: now - 3_600_000,
      crlNumber,
      filler: crlFiller,
    });
    const tmp = join(dir, `.auth-crl-full.der.${crlNumber}`);
    writeFileSync(tmp, der);
    renameSync(tmp, join(dir, "auth-crl-full.der"));
  };
  writeFileSync(join(dir, "auth-root.der"), cas.auth.certificate);
  writeCrl([], 1);
  return {
    dir,
    cas,
    good,
    revoked,
    expired: testCard(old.cards[0]!, cas),
    foreign: testCard(other.cards[0]!, other.cas),
    writeCrl,
  };
}
