/**
 * The factory stage done for real on a **crypto sample** of cards (DESIGN.md §6): real key pairs
 * (from the on-disk key cache or generated on the worker pool), the two J-LIS roots, an
 * authentication and a signature certificate per card (sim/pki profiles), each card built as a
 * simulated My Number card, handed over at the counter, and authenticated once — select the JPKI
 * AP, read the certificate, verify the PIN, sign a challenge — with the signature and certificate
 * checked by a relying party. The rest of the population stays exact counts; the report states the
 * sample size beside the figures that depend on it.
 * @module
 */
import { createHash } from "node:crypto";
import { MyNumberCard } from "../card/card.js";
import {
  authenticate,
  personaliseCards,
  RelyingParty,
  SAMPLE_PINS,
  sampleCardPersonalisation,
  type AuthOutcome,
} from "../crypto/index.js";
import type { CryptoSampleParams } from "./params.js";

/** What the crypto sample made and measured (counts are deterministic; rates and times are not). */
export interface CryptoSampleResult {
  cards: number;
  profile: "current" | "nextGen";
  /** Sample cards per card handed over in the run. */
  sampleRate: number;
  keysGenerated: number;
  keysFromCache: number;
  certificatesIssued: number;
  /** Every signature made: roots, certificates, key checks and the card's authentication signatures. */
  signaturesMade: number;
  /** End-entity certificates issued per wall-clock second (all threads). */
  caSignaturesPerSecond: number;
  /** Outcomes of one authentication per sample card (RSA cards only). */
  authentications: Partial<Record<AuthOutcome, number>>;
  wallSeconds: number;
}

/** Personalises and authenticates `sample.cards` real cards issued on `issuedAt` (epoch ms). */
export async function runCryptoSample(
  sample: CryptoSampleParams,
  opts: { threads: number; seed: number; issuedAt: number; cardsIssued: number },
): Promise<CryptoSampleResult> {
  const t0 = performance.now();
  const { cas, cards, stats } = await personaliseCards(sample.cards, {
    threads: opts.threads,
    seed: opts.seed,
    issuedAt: opts.issuedAt,
    profile: sample.profile,
  });
  const authentications: Partial<Record<AuthOutcome, number>> = {};
  let cardSignatures = 0;
  if (sample.profile === "current") {
    const rp = new RelyingParty(cas.auth.certificate);
    for (const c of cards) {
      const card = new MyNumberCard(sampleCardPersonalisation(c, cas));
      card.unlockAtCounter();
      const challenge = createHash("sha256").update(`myna-twin/challenge/${opts.seed}/${c.index}`).digest();
      const outcome = authenticate(card, SAMPLE_PINS.auth, challenge, rp, opts.issuedAt + 3_600_000);
      authentications[outcome] = (authentications[outcome] ?? 0) + 1;
      cardSignatures++;
    }
  }
  return {
    cards: cards.length,
    profile: sample.profile,
    sampleRate: opts.cardsIssued > 0 ? cards.length / opts.cardsIssued : 0,
    keysGenerated: stats.keysGenerated,
    keysFromCache: stats.keysFromCache,
    certificatesIssued: stats.certificatesIssued,
    signaturesMade: stats.signaturesMade + cardSignatures,
    caSignaturesPerSecond: Math.round(stats.caSignaturesPerSecond),
    authentications,
    wallSeconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
  };
}
