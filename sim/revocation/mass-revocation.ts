/**
 * Scenario mass-revocation (issue 11 item 3): a key-generation flaw found in X M cards, as ROCA hit
 * Estonia's ≈750 k cards in 2017 (ANCHORS §3.1: suspension at midnight after the announcement, a
 * remote update with limited capacity and ≈10 % failures, office queues, a hard revocation deadline).
 * The affected certificates are suspended overnight (certificateHold, so the CRLs and the filter grow
 * at once — flow.ts takes the incident); holders then re-key remotely or at a counter, each a fluid
 * queue with a daily capacity; failed remote attempts join the counter queue the next day. Every day
 * a card stays suspended its holder's authentication attempts fail. The attempts come from the
 * authentication model (sim/auth/load-model.ts): each relying-party class's authentications per card
 * in circulation on that date, through the channels that use the card's own key — a PIN on a card
 * reader or a face-authentication reader. Smartphone JPKI signs with a separate key and certificate
 * in the phone's secure element (FACTS §1.7), so a flaw in the cards' key generation leaves it
 * working: those attempts do not fail. Failures are counted from the night of the announcement
 * through the deadline day; after it the certificates still suspended are revoked and their holders,
 * told so, stop presenting the card until they re-key (assumed).
 * @module
 */
import { InputError } from "../../engine/errors.js";
import {
  AUTH_CLASSES,
  CLASS_COUNT,
  channelShares,
  perCardDaily,
  type AuthClass,
  type LoadOptions,
} from "../auth/load-model.js";
import type { FlowIncident } from "./flow.js";
import type { MassRevocationParams } from "./params.js";

/** Per day from the announcement (index 0 = the announcement day). */
export interface MassRevocationResult {
  /** Day index (from the flow's start) of the suspension. */
  readonly day: number;
  readonly cards: number;
  readonly requestsRemote: Float64Array;
  readonly requestsCounter: Float64Array;
  readonly rekeyedRemote: Float64Array;
  readonly rekeyedCounter: Float64Array;
  readonly remoteFailures: Float64Array;
  /** Waiting at the end of each day. */
  readonly queueRemote: Float64Array;
  readonly queueCounter: Float64Array;
  /** Affected cards still without a working certificate at the end of each day. */
  readonly suspended: Float64Array;
  /** Authentication attempts that fail because the card's certificate is suspended or revoked. */
  readonly authFailures: Float64Array;
  /** The same by relying-party class (sim/auth's classes). */
  readonly authFailuresByClass: Readonly<Record<AuthClass, Float64Array>>;
  /** Attempts per affected card that day that use the card's key, all classes (sim/auth's load). */
  readonly cardAttemptsPerCard: Float64Array;
  /** Still suspended at the deadline: revoked (keyCompromise). */
  readonly revokedAtDeadline: number;
  /** Days until 95 % of those who re-key have done so (null if not within the horizon). */
  readonly daysTo95Percent: number | null;
}

/** Where the authentication attempts come from: sim/auth's load model on the incident's dates. */
export interface AuthAttempts {
  /** Epoch day of flow day 0. */
  readonly startDay: number;
  /** The scenario's load options (its `auth:` block, or sim/auth's defaults). */
  readonly load: LoadOptions;
}

/**
 * Attempts of class `cls` per card in circulation on epoch day `date` that use the card's own key
 * (card reader with PIN, face-authentication reader): sim/auth's per-card volume × those channels.
 */
export function cardKeyAttemptsPerCard(cls: AuthClass, date: number, load: LoadOptions): number {
  const [pin, face] = channelShares(cls, date);
  return perCardDaily(cls, date, load) * (pin + face);
}

/**
 * Run the re-key queues for `horizon` days from the announcement on flow day `day`.
 * Deterministic: fluid counts, no randomness.
 */
export function runMassRevocation(
  p: MassRevocationParams,
  day: number,
  horizon: number,
  auth: AuthAttempts,
): MassRevocationResult {
  if (!(p.cards > 0))
    throw new InputError(`revocation.massRevocation.cards: expected > 0, got ${p.cards}`, "E_SCENARIO");
  const n = Math.max(1, horizon);
  const f = () => new Float64Array(n);
  const reqR = f();
  const reqC = f();
  const doneR = f();
  const doneC = f();
  const fails = f();
  const qR = f();
  const qC = f();
  const susp = f();
  const authF = f();
  const perCard = f();
  const byClass = Object.fromEntries(AUTH_CLASSES.map((c) => [c, f()])) as Record<AuthClass, Float64Array>;
  const wanting = p.cards * p.rekeyShare;
  const tau = Math.max(0.1, p.arrivalMeanDays);
  let queueR = 0;
  let queueC = 0;
  let failedYesterday = 0;
  let done = 0;
  let revokedAtDeadline = 0;
  let to95: number | null = null;
  for (let k = 0; k < n; k++) {
    // arrivals: exponential with mean tau days, integrated over day k
    const arrivals = wanting * (Math.exp(-k / tau) - Math.exp(-(k + 1) / tau));
    reqR[k] = arrivals * p.remoteShare;
    reqC[k] = arrivals * (1 - p.remoteShare) + failedYesterday;
    queueR += reqR[k]!;
    queueC += reqC[k]!;
    const attempted = Math.min(queueR, p.remoteCapacityPerDay);
    queueR -= attempted;
    fails[k] = attempted * p.remoteFailureRate;
    doneR[k] = attempted - fails[k]!;
    failedYesterday = fails[k]!;
    doneC[k] = Math.min(queueC, p.counterCapacityPerDay);
    queueC -= doneC[k]!;
    done += doneR[k]! + doneC[k]!;
    qR[k] = queueR;
    qC[k] = queueC;
    susp[k] = Math.max(0, p.cards - done);
    // the suspension starts at midnight after the announcement: day 0 is still working
    const date = auth.startDay + day + k;
    let failed = 0;
    let attempts = 0;
    for (let c = 0; c < CLASS_COUNT; c++) {
      const cls = AUTH_CLASSES[c]!;
      const a = cardKeyAttemptsPerCard(cls, date, auth.load);
      attempts += a;
      const x = k === 0 || k > p.deadlineDays ? 0 : susp[k - 1]! * a;
      byClass[cls][k] = x;
      failed += x;
    }
    perCard[k] = attempts;
    authF[k] = failed;
    if (k === p.deadlineDays) revokedAtDeadline = susp[k]!;
    if (to95 === null && done >= 0.95 * wanting) to95 = k;
  }
  if (p.deadlineDays >= n) revokedAtDeadline = susp[n - 1]!;
  return {
    day,
    cards: p.cards,
    requestsRemote: reqR,
    requestsCounter: reqC,
    rekeyedRemote: doneR,
    rekeyedCounter: doneC,
    remoteFailures: fails,
    queueRemote: qR,
    queueCounter: qC,
    suspended: susp,
    authFailures: authF,
    authFailuresByClass: byClass,
    cardAttemptsPerCard: perCard,
    revokedAtDeadline,
    daysTo95Percent: to95,
  };
}

/** The incident as the flow takes it: the suspension day and the re-keys per flow day. */
export function incidentOf(m: MassRevocationResult, flowDays: number): FlowIncident {
  const rekeyed = new Float64Array(flowDays);
  for (let k = 0; k < m.rekeyedRemote.length && m.day + k + 1 < flowDays; k++)
    // a re-key issues new certificates the day after (the old ones stay suspended, then revoked)
    rekeyed[m.day + k + 1] = m.rekeyedRemote[k]! + m.rekeyedCounter[k]!;
  return { day: m.day, cards: m.cards, rekeyedDaily: rekeyed };
}
