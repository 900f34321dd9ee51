/**
 * Whole JPKI operations per second — plain figures, without a reference: no other implementation in
 * this run does the same steps (a bare RSA signature is a fraction of the work; `openssl x509 -req`
 * issuing a certificate is a fresh process per certificate). DESIGN.md §8: like for like, or no ratio.
 *
 * - `crypto.pool.issue.t<N>`: JPKI authentication certificates issued on N worker threads (DER
 *   building + one CA RSA-2048 signature each), in tasks of 256.
 * - `crypto.auth.card.main-thread` / `.t<N>`: full card authentications — the APDU exchange with a
 *   `MyNumberCard` (SELECT AP, SELECT + READ BINARY of the auth certificate, VERIFY PIN, SELECT key,
 *   COMPUTE DIGITAL SIGNATURE), then the relying party's certificate signature, validity, challenge
 *   signature and revocation lookup in a 10^5-entry CRL — in the main thread, and on N worker threads
 *   in tasks of 200 (each worker loads the CRL file once).
 * - `crypto.auth.crl-load`: the relying party's parse + index + signature check of that CRL, warm.
 *
 * tinybench: mean ± RME over whole batches (or single calls in the main thread).
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MyNumberCard } from "../sim/card/index.js";
import type { IssueItem, PersonalisedSample } from "../sim/crypto/index.js";
import {
  AUTH_OUTCOMES,
  CryptoPool,
  DEFAULT_ISSUED_AT,
  RelyingParty,
  SAMPLE_PINS,
  authenticate,
  buildSampleCrl,
  issueCertificates,
  personaliseCards,
  sampleCardPersonalisation,
} from "../sim/crypto/index.js";
import { parseCertificate, parseCrl } from "../sim/pki/index.js";
import { ALL_THREADS, cryptoSizes, MESSAGE } from "./_crypto-common.js";
import type { Measurement } from "./_shared.js";
import { log, makeResult, micro, ratePerSecond } from "./_shared.js";

const AT = DEFAULT_ISSUED_AT + 30 * 86_400_000;
const ISSUE_TASK = 256;
const AUTH_TASK = 200;

let sample: PersonalisedSample | undefined;
async function benchSample(pool: CryptoPool): Promise<PersonalisedSample> {
  sample ??= await personaliseCards(4, { pool });
  return sample;
}

/** Certificate issuance on every core. */
export const issueMeasurement: Measurement = async (options) => {
  const s = cryptoSizes(options);
  const pool = new CryptoPool({ threads: ALL_THREADS });
  try {
    await pool.warmUp();
    const smp = await benchSample(pool);
    const card = smp.cards[0]!;
    const item = (i: number): IssueItem => {
      const serial = new Uint8Array(16);
      new DataView(serial.buffer).setUint32(12, i + 1);
      serial[0] = 0x40;
      return {
        spki: card.authKey.spki,
        serial,
        commonName: `BENCH${String(i).padStart(18, "0")}`,
        issuedAt: DEFAULT_ISSUED_AT,
        birthDate: card.holder.birthDate,
        facts: null,
        crlPartition: null,
      };
    };
    const probe = Array.from({ length: ISSUE_TASK * ALL_THREADS }, (_, i) => item(i));
    const t0 = performance.now();
    await issueCertificates(pool, smp.cas.auth, "auth", probe);
    const rate0 = (probe.length * 1000) / (performance.now() - t0);
    const unit = ISSUE_TASK * ALL_THREADS;
    const n = Math.max(unit, Math.round((rate0 * s.batchSeconds) / unit) * unit);
    const items = Array.from({ length: n }, (_, i) => item(i));
    log(`crypto.pool.issue.t${ALL_THREADS}: ${n} authentication certificates per batch`);
    const stats = await micro(`issue ${n}`, () => issueCertificates(pool, smp.cas.auth, "auth", items), {
      timeMs: s.batchMs,
      iterations: 3,
    });
    return [
      makeResult(
        {
          name: `crypto.pool.issue.t${ALL_THREADS}`,
          unit: "certificates/s",
          value: ratePerSecond(stats, n),
          higherIsBetter: true,
          stats,
        },
        options.quick,
      ),
    ];
  } finally {
    await pool.destroy();
  }
};

/** Full card authentications per second, in the main thread and on every core. */
export const authMeasurement: Measurement = async (options) => {
  const s = cryptoSizes(options);
  const pool = new CryptoPool({ threads: ALL_THREADS });
  const dir = mkdtempSync(join(tmpdir(), "myna-bench-crypto-"));
  try {
    await pool.warmUp();
    const smp = await benchSample(pool);
    const revokedCard = smp.cards[3]!;
    const crlDer = buildSampleCrl(smp.cas.auth, {
      revoked: [parseCertificate(revokedCard.authCertificate).serial],
      filler: s.crlEntries - 1,
    });
    const crlPath = join(dir, "auth.crl");
    writeFileSync(crlPath, crlDer);
    const rootSpki = parseCertificate(smp.cas.auth.certificate).spki;
    log(
      `crypto.auth: CRL of ${s.crlEntries.toLocaleString("en-US")} entries (${(crlDer.length / 1e6).toFixed(1)} MB)`,
    );
    const load = await micro(
      "CRL parse + index + signature check",
      () => parseCrl(crlDer, { issuerSpki: rootSpki }),
      {
        timeMs: s.batchMs,
        iterations: 5,
      },
    );

    const rp = new RelyingParty(smp.cas.auth.certificate, crlDer);
    const card = new MyNumberCard(sampleCardPersonalisation(smp.cards[0]!, smp.cas));
    card.unlockAtCounter();
    const revoked = new MyNumberCard(sampleCardPersonalisation(revokedCard, smp.cas));
    revoked.unlockAtCounter();
    const challenge = (i: number) => Uint8Array.of(i & 255, (i >> 8) & 255, i >> 16, ...MESSAGE);
    if (authenticate(revoked, SAMPLE_PINS.auth, challenge(0), rp, AT) !== "revoked")
      throw new Error("the revoked sample card was not reported revoked");
    let i = 0;
    const single = await micro(
      "full authentication, main thread",
      () => {
        if (authenticate(card, SAMPLE_PINS.auth, challenge(i++), rp, AT) !== "ok")
          throw new Error("a main-thread authentication failed");
      },
      { timeMs: 2 * s.singleMs, iterations: s.iterations },
    );

    const good = smp.cards.slice(0, 3);
    const tasksFor = (n: number) =>
      Array.from({ length: Math.ceil(n / AUTH_TASK) }, (_, t) => ({
        op: "authenticate" as const,
        card: good[t % good.length]!,
        cas: smp.cas,
        pin: SAMPLE_PINS.auth,
        crlPath,
        at: AT,
        challenges: Array.from({ length: AUTH_TASK }, (_, k) => challenge(t * AUTH_TASK + k)),
      }));
    await pool.run(tasksFor(AUTH_TASK * ALL_THREADS)); // loads the CRL in every worker
    const unit = AUTH_TASK * ALL_THREADS;
    const n = Math.max(
      unit,
      Math.round((ratePerSecond(single) * ALL_THREADS * s.batchSeconds) / unit) * unit,
    );
    const tasks = tasksFor(n);
    const pooled = await micro(
      `${n} authentications on ${ALL_THREADS} workers`,
      async () => {
        for (const res of await pool.run(tasks))
          for (const o of res.outcomes)
            if (AUTH_OUTCOMES[o] !== "ok")
              throw new Error(`a pooled authentication failed: ${AUTH_OUTCOMES[o]}`);
      },
      { timeMs: s.batchMs, iterations: 3 },
    );
    const q = options.quick;
    return [
      makeResult(
        { name: "crypto.auth.crl-load", unit: "ms", value: load.meanMs, higherIsBetter: false, stats: load },
        q,
      ),
      makeResult(
        {
          name: "crypto.auth.card.main-thread",
          unit: "auths/s",
          value: ratePerSecond(single),
          higherIsBetter: true,
          stats: single,
        },
        q,
      ),
      makeResult(
        {
          name: `crypto.auth.card.t${ALL_THREADS}`,
          unit: "auths/s",
          value: ratePerSecond(pooled, n),
          higherIsBetter: true,
          stats: pooled,
        },
        q,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pool.destroy();
  }
};
