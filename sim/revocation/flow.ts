/**
 * The revocation flow (issue 11 item 1): daily certificate issuance, revocations by reason, expiry
 * and the CRL size of every CA (both certificate types × J-LIS root generations, FACTS §1.2) from the
 * issuance run's new cards per day, extended past the run's end to the horizon by a steady-state
 * assumption (first-time cards = births, {@link RevocationParams.newCardsPerYearAfterRun}).
 *
 * A fluid cohort model (DESIGN §4 "Cohorts"): certificates are kept by issue day (vintage). Each day
 * every vintage's valid certificates are revoked at the day's per-holder rates (FACTS §3.3: moves with
 * the March–April peak, deaths, name changes after marriage and divorce — signature certificate only —,
 * loss and theft, cards returned). A certificate expires on the holder's 5th birthday after issuance
 * (FACTS §1.4), i.e. uniformly between 4 and 5 years after its issue day; a share of them is renewed
 * `renewalLeadDays` before expiry (the old one is revoked as superseded). A revoked certificate stays
 * on its issuer's CRL until its own expiry. Minors under 15 get the authentication certificate only.
 * Counts are expected values (fractional), rounded only when written.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import type { CertType, Reason, RevocationParams } from "./params.js";
import { CERT_TYPES, REASONS } from "./params.js";

/** What the flow needs from an issuance run. */
export interface FlowInput {
  /** Epoch day of the run's first day. */
  readonly startDay: number;
  /** First-time cards handed over per day of the run (the mean over replications). */
  readonly cardsIssuedDaily: Float64Array;
}

/** Extra certificate events injected by the mass-revocation incident (mass-revocation.ts). */
export interface FlowIncident {
  /** Day index (from the flow's start) of the overnight suspension. */
  readonly day: number;
  /** Cards affected (their valid certificates are suspended). */
  readonly cards: number;
  /** New cards' worth of certificates issued by re-keys, per day index (length = flow days). */
  readonly rekeyedDaily: Float64Array;
}

/** One CA's series: certificate type × root generation. */
export interface CaSeries {
  readonly type: CertType;
  readonly generation: number;
  /** Revoked-and-unexpired entries at the end of each day. */
  readonly entries: Float64Array;
  /** Entries added on each day (what a daily delta CRL carries). */
  readonly added: Float64Array;
}

/** The flow's result, one value per day from the run's start to the horizon. */
export interface FlowResult {
  readonly startDay: number;
  readonly days: number;
  /** Days covered by the issuance run itself (the rest is the steady-state extension). */
  readonly runDays: number;
  readonly revocations: Record<CertType, Record<Reason, Float64Array>>;
  readonly issued: Record<CertType, Float64Array>;
  readonly valid: Record<CertType, Float64Array>;
  /** Certificates reaching their notAfter each day (valid and revoked ones). */
  readonly expired: Record<CertType, Float64Array>;
  /** Valid certificates lapsing unrenewed each day (renewals are `revocations[type].renewal`). */
  readonly lapsed: Record<CertType, Float64Array>;
  readonly cas: readonly CaSeries[];
}

const YEAR_DAYS = 365.2425;
/** A certificate lives between 4 and 5 years (FACTS §1.4: until the 5th birthday after issuance). */
const MIN_LIFE = Math.round(4 * YEAR_DAYS);
const MAX_LIFE = Math.round(5 * YEAR_DAYS);

/** Month (0–11) of an epoch day. */
export function monthOf(epochDay: number): number {
  return Number(formatIsoDate(epochDay).slice(5, 7)) - 1;
}

/** Daily per-holder revocation rate of each reason on `epochDay`, per certificate type. */
export function dailyRates(p: RevocationParams, epochDay: number): Record<CertType, Record<Reason, number>> {
  const season = p.moveSeason;
  // Normalise the month profile so the year's total is the annual volume (weighted by month length).
  const monthDays = [31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let norm = 0;
  for (let m = 0; m < 12; m++) norm += season[m]! * monthDays[m]!;
  const moveFactor = (season[monthOf(epochDay)]! * YEAR_DAYS) / norm;
  const perDay = (annual: number): number => annual / p.population / YEAR_DAYS;
  const moves = perDay(p.interMunicipalMovesPerYear + p.intraMunicipalMovesPerYear) * moveFactor;
  const death = perDay(p.deathsPerYear);
  const name = perDay(p.marriagesPerYear + p.divorcesPerYear * p.divorceNameChangeShare);
  const loss = p.lossRatePerYear / YEAR_DAYS;
  const returned = p.returnRatePerYear / YEAR_DAYS;
  const zero = { renewal: 0, massSuspension: 0 };
  return {
    // FACTS §1.3: the authentication certificate is not revoked by a move or a name change.
    auth: { move: 0, death, nameChange: 0, loss, returned, ...zero },
    sign: { move: moves, death, nameChange: name, loss, returned, ...zero },
  };
}

function zeros(n: number): Float64Array {
  return new Float64Array(n);
}

/** Run the flow from the run's first day to `p.through`. */
export function runRevocationFlow(
  p: RevocationParams,
  input: FlowInput,
  incident: FlowIncident | null = null,
): FlowResult {
  const start = input.startDay;
  const end = parseIsoDate(p.through, "revocation.through");
  const runDays = input.cardsIssuedDaily.length;
  if (end < start + runDays - 1)
    throw new InputError(
      `revocation.through: expected a date on or after the issuance run's last day ${formatIsoDate(start + runDays - 1)}, got ${p.through}`,
      "E_SCENARIO",
    );
  const days = end - start + 1;
  const afterRun = p.newCardsPerYearAfterRun / YEAR_DAYS;
  const revocations = {} as Record<CertType, Record<Reason, Float64Array>>;
  const issued = {} as Record<CertType, Float64Array>;
  const valid = {} as Record<CertType, Float64Array>;
  const expired = {} as Record<CertType, Float64Array>;
  const lapsedOut = {} as Record<CertType, Float64Array>;
  const cas: CaSeries[] = [];
  const rates: Record<CertType, Record<Reason, number>>[] = [];
  for (let t = 0; t < days; t++) rates.push(dailyRates(p, start + t));

  for (const type of CERT_TYPES) {
    const share = type === "sign" ? p.signShare : 1;
    const gens = p.rootGenerations[type];
    const genIndex = new Int32Array(days);
    for (let t = 0, g = 0; t < days; t++) {
      while (g + 1 < gens.length && parseIsoDate(gens[g + 1]!.from) <= start + t) g++;
      genIndex[t] = g;
    }
    const caEntries = gens.map(() => zeros(days));
    const caAdded = gens.map(() => zeros(days));
    // Per vintage: valid and to be renewed, valid and not, revoked-unexpired.
    const vRenew = zeros(days);
    const vLapse = zeros(days);
    const rev = zeros(days);
    // Superseded certificates leave the CRL `renewalLeadDays` after their renewal: a pipeline by day.
    const lead = Math.max(0, Math.round(p.renewalLeadDays));
    const supersededOut = gens.map(() => zeros(days + lead + 1));
    const superseded = gens.map(() => 0);
    const byReason = Object.fromEntries(REASONS.map((r) => [r, zeros(days)])) as Record<Reason, Float64Array>;
    const iss = zeros(days);
    const val = zeros(days);
    const exp = zeros(days);
    const lap = zeros(days);
    const renewShare = p.renewalShare;
    let oldest = 0;
    for (let t = 0; t < days; t++) {
      const r = rates[t]![type];
      const hazard = r.move + r.death + r.nameChange + r.loss + r.returned;
      let newCerts = (t < runDays ? input.cardsIssuedDaily[t]! : afterRun) * share;
      if (incident) newCerts += incident.rekeyedDaily[t]! * share;
      let reissue = 0;
      let renewals = 0;
      let lapsed = 0;
      let lapsedValid = 0;
      let validNow = 0;
      const suspend =
        incident && incident.day === t ? incidentShare(incident.cards * share, vRenew, vLapse, oldest, t) : 0;
      while (oldest < t && oldest + MAX_LIFE <= t) oldest++;
      for (let v = oldest; v < t; v++) {
        let a = vRenew[v]!;
        let b = vLapse[v]!;
        let x = rev[v]!;
        if (a === 0 && b === 0 && x === 0) continue;
        const g = genIndex[v]!;
        // revocations today
        const revA = a * hazard;
        const revB = b * hazard;
        const total = revA + revB;
        if (total > 0) {
          byReason.move[t]! += (total * r.move) / hazard;
          byReason.death[t]! += (total * r.death) / hazard;
          byReason.nameChange[t]! += (total * r.nameChange) / hazard;
          byReason.loss[t]! += (total * r.loss) / hazard;
          byReason.returned[t]! += (total * r.returned) / hazard;
          reissue +=
            (total *
              (r.move * p.reissueShare.move +
                r.nameChange * p.reissueShare.nameChange +
                r.loss * p.reissueShare.loss)) /
            hazard;
          a -= revA;
          b -= revB;
          x += total;
          caAdded[g]![t]! += total;
        }
        if (suspend > 0) {
          const sa = a * suspend;
          const sb = b * suspend;
          a -= sa;
          b -= sb;
          x += sa + sb;
          byReason.massSuspension[t]! += sa + sb;
          caAdded[g]![t]! += sa + sb;
        }
        // renewals: the renewing pool expires `lead` days early, uniformly over its shifted window
        const age = t - v;
        if (age >= MIN_LIFE - lead && age < MAX_LIFE - lead) {
          const f = 1 / (MAX_LIFE - lead - age);
          const n = a * f;
          a -= n;
          renewals += n;
          superseded[g]! += n;
          supersededOut[g]![t + lead]! += n;
          caAdded[g]![t]! += n;
        }
        if (age >= MIN_LIFE) {
          const f = 1 / (MAX_LIFE - age);
          const nb = b * f;
          const nx = x * f;
          b -= nb;
          x -= nx;
          lapsed += nb + nx;
          lapsedValid += nb;
        }
        vRenew[v] = a;
        vLapse[v] = b;
        rev[v] = x;
        validNow += a + b;
        caEntries[g]![t]! += x;
      }
      for (let g = 0; g < gens.length; g++) {
        superseded[g]! -= supersededOut[g]![t]!;
        caEntries[g]![t]! += superseded[g]!;
      }
      byReason.renewal[t] = renewals;
      const fresh = newCerts + reissue + renewals;
      vRenew[t] = fresh * renewShare;
      vLapse[t] = fresh * (1 - renewShare);
      iss[t] = fresh;
      val[t] = validNow + fresh;
      exp[t] = lapsed;
      lap[t] = lapsedValid;
    }
    revocations[type] = byReason;
    issued[type] = iss;
    valid[type] = val;
    expired[type] = exp;
    lapsedOut[type] = lap;
    gens.forEach((g, i) =>
      cas.push({ type, generation: g.generation, entries: caEntries[i]!, added: caAdded[i]! }),
    );
  }
  return { startDay: start, days, runDays, revocations, issued, valid, expired, lapsed: lapsedOut, cas };
}

/** Share of each vintage's valid certificates the incident suspends (affected over valid certificates). */
function incidentShare(
  affectedCerts: number,
  vRenew: Float64Array,
  vLapse: Float64Array,
  from: number,
  to: number,
): number {
  let validCerts = 0;
  for (let v = from; v < to; v++) validCerts += vRenew[v]! + vLapse[v]!;
  if (validCerts <= 0) return 0;
  return Math.min(1, affectedCerts / validCerts);
}

/** Revoked-and-unexpired entries of all generations of one type on day index `t`. */
export function crlEntriesOfType(flow: FlowResult, type: CertType, t: number): number {
  let s = 0;
  for (const ca of flow.cas) if (ca.type === type) s += ca.entries[t]!;
  return s;
}

/** Sum of an array over a range of day indices [from, to). */
export function sumRange(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = Math.max(0, from); i < Math.min(a.length, to); i++) s += a[i]!;
  return s;
}
