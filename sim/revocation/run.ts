/**
 * The revocation model of one run (issue 11 items 1–3): called once by sim/issuance/run-scenario.ts
 * after the issuance replications when the scenario has a `revocation:` block. Runs the flow from
 * the run's new cards per day (flow.ts), the mass-revocation incident if any (mass-revocation.ts),
 * builds the real artefacts on the sampled days (artefacts.ts, status-response.ts and the filter) and
 * checks the size model against each, compares the strategies (strategies.ts) on the day the CRLs are
 * largest, and returns summary.json's `revocation` section (sim/run-format/revocation.ts), the files
 * `revocation.csv` and `mass-revocation.csv`, and what the report section needs.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { parseCrl } from "../pki/crl-index.js";
import type { JpkiRoot } from "../pki/jpki-profiles.js";
import {
  MASS_REVOCATION_CSV_COLUMNS,
  REVOCATION_CSV_FIXED,
  REVOCATION_FILES,
  RevocationSummarySchema,
  type RevocationSummary,
} from "../run-format/revocation.js";
import {
  buildCrlArtefacts,
  createSampleRoot,
  crlBytes,
  crlShape,
  entryBytes,
  randomEntries,
  type CrlShape,
} from "./artefacts.js";
import { estimateFilterBytes, revocationFilterSizer } from "./filter/index.js";
import { sampleFilter } from "./filter-strategy.js";
import { crlEntriesOfType, runRevocationFlow, type FlowInput, type FlowResult } from "./flow.js";
import { incidentOf, runMassRevocation, type MassRevocationResult } from "./mass-revocation.js";
import { AUTH_CLASSES } from "../auth/load-model.js";
import { AUTH_DEFAULTS, type AuthParams } from "../auth/params.js";
import {
  CERT_TYPES,
  REASONS,
  REASON_CODE,
  resolveRevocationParams,
  type CertType,
  type RevocationBlock,
  type RevocationParams,
} from "./params.js";
import { buildStatusResponse } from "./status-response.js";
import { fullCrlBytes, strategies, type StrategyContext } from "./strategies.js";

const DAY_MS = 86_400_000;
const JST_MS = 9 * 3_600_000;

/** What the issuance scenario gives the revocation model. */
export interface RevocationScenario {
  readonly renewal: { readonly certificateRenewalShare: number };
  readonly revocation?: RevocationBlock;
  /** The authentication model's parameters, whose load gives the mass revocation's failed attempts. */
  readonly auth?: Pick<AuthParams, "privatePerBusinessPerDay" | "eTaxCardShareAtFullCoverage">;
}

/** Lookup and build costs measured in this run (machine-dependent: report only, not summary.json). */
export interface MeasuredCosts {
  readonly crlEntries: number;
  readonly crlParseMs: number;
  readonly crlLookupNs: number;
  readonly statusResponseSignUs: number;
}

/** What the report section is written from. */
export interface RevocationReport {
  readonly summary: RevocationSummary;
  readonly measured: MeasuredCosts | null;
}

export interface RevocationRun {
  readonly params: RevocationParams;
  readonly flow: FlowResult;
  readonly mass: MassRevocationResult | null;
  readonly summary: RevocationSummary;
  readonly report: RevocationReport;
  readonly files: Record<string, string>;
}

export interface RevocationRunOptions {
  readonly seed: number;
  /** Time lookups and signing (default true); tests of determinism turn it off. */
  readonly measure?: boolean;
}

const round = (x: number): number => Math.round(x);

/** Runs the revocation model when the scenario has a `revocation:` block; null otherwise. */
export function runRevocationModel(
  scenario: RevocationScenario,
  input: FlowInput,
  opts: RevocationRunOptions,
): RevocationRun | null {
  if (!scenario.revocation) return null;
  const p = resolveRevocationParams(scenario.revocation, scenario.renewal.certificateRenewalShare);
  const start = input.startDay;
  const end = parseIsoDate(p.through, "revocation.through");
  const horizon = end - start + 1;
  let mass: MassRevocationResult | null = null;
  if (p.massRevocation) {
    const day = parseIsoDate(p.massRevocation.date) - start;
    if (day < 0 || day >= horizon)
      throw new InputError(
        `revocation.massRevocation.date: expected a date from ${formatIsoDate(start)} to ${p.through}, got ${p.massRevocation.date}`,
        "E_SCENARIO",
      );
    const a = scenario.auth ?? AUTH_DEFAULTS;
    mass = runMassRevocation(p.massRevocation, day, horizon - day, {
      startDay: start,
      load: {
        privatePerBusinessPerDay: a.privatePerBusinessPerDay,
        eTaxCardShareAtFullCoverage: a.eTaxCardShareAtFullCoverage,
      },
    });
  }
  const flow = runRevocationFlow(p, input, mass ? incidentOf(mass, horizon) : null);
  const totalEntries = (t: number) => crlEntriesOfType(flow, "auth", t) + crlEntriesOfType(flow, "sign", t);
  let peak = 0;
  for (let t = 1; t < flow.days; t++) if (totalEntries(t) > totalEntries(peak)) peak = t;

  const sampleDays = p.sample.days.map((d) => {
    const t = parseIsoDate(d) - start;
    if (t < 0 || t >= flow.days)
      throw new InputError(
        `revocation.sample.days: ${d} is outside the horizon ${formatIsoDate(start)} … ${p.through}`,
        "E_SCENARIO",
      );
    return t;
  });
  if (sampleDays.length === 0) {
    sampleDays.push(peak);
    if (mass && mass.day + 1 < flow.days) sampleDays.push(mass.day + 1);
  }
  const built = buildSamples(p, flow, sampleDays, opts);
  const perEntry = entryBytes(p.serialBytes);
  const fs = sampleFilterFor(p, flow, peak, opts.seed);
  const ctx: StrategyContext = {
    flow,
    params: p,
    shapes: built.shapes,
    perEntry,
    statusResponseBytes: built.statusBytes,
    // (e): the filter's size arithmetic (sizer.ts), checked below against the filters built for real
    filter: revocationFilterSizer({ deltaHours: 24 }),
  };
  const list = strategies(ctx);
  const rows = list.flatMap((s) =>
    p.relyingParties.map((rp) => {
      const v = s.perVerifier(ctx, rp, peak);
      const pk = s.peak(ctx, rp, peak);
      return {
        strategy: s.id as RevocationSummary["comparison"]["rows"][number]["strategy"],
        label: s.label,
        relyingParty: rp.name,
        verifiers: rp.verifiers,
        bytesPerVerifierPerDay: round(v.bytes),
        requestsPerVerifierPerDay: Number(v.requests.toFixed(3)),
        stalenessHours: roundStaleness(s.staleness(ctx)),
        lookup: s.lookup(ctx),
        peakRequestsPerSecond: Number(pk.requestsPerSecond.toFixed(3)),
        peakBytesPerSecond: round(pk.bytesPerSecond),
        whenDown: s.whenDown,
        privacy: s.privacy,
      };
    }),
  );

  const rp = p.relyingParties.find((r) => r.name.startsWith("medical")) ?? p.relyingParties[0]!;
  const chart: RevocationSummary["chart"] = {
    relyingParty: rp.name,
    dates: [],
    series: list.map((s) => ({
      strategy: s.id as RevocationSummary["chart"]["series"][number]["strategy"],
      label: s.label,
      bytes: [] as number[],
    })),
  };
  for (let t = 0; t < flow.days; t += 7) {
    chart.dates.push(formatIsoDate(start + t));
    list.forEach((s, i) => chart.series[i]!.bytes.push(round(s.perVerifier(ctx, rp, t).bytes)));
  }
  const crlGrowth: RevocationSummary["crlGrowth"] = {
    dates: chart.dates,
    series: flow.cas
      .filter((ca) => ca.entries.some((x) => x >= 0.5))
      .map((ca) => ({
        type: ca.type,
        generation: ca.generation,
        entries: chart.dates.map((_, i) => round(Math.max(0, ca.entries[i * 7]!))),
      })),
  };
  const summary: RevocationSummary = {
    period: {
      start: formatIsoDate(start),
      runEnd: formatIsoDate(start + flow.runDays - 1),
      end: formatIsoDate(end),
    },
    byYear: byYear(flow),
    peakDailyRevocations: peakRevocations(flow),
    cas: flow.cas.map((ca) => {
      let pk = 0;
      for (let t = 1; t < flow.days; t++) if (ca.entries[t]! > ca.entries[pk]!) pk = t;
      return {
        type: ca.type,
        generation: ca.generation,
        peakEntries: round(ca.entries[pk]!),
        peakDate: formatIsoDate(start + pk),
        peakFullCrlBytes: crlBytes(built.shapes[ca.type].full, ca.entries[pk]!, perEntry),
        entriesAtEnd: round(ca.entries[flow.days - 1]!),
      };
    }),
    bytesPerEntry: perEntry,
    sample: {
      entryRate: p.sample.entryRate,
      artefacts: [...built.rows, ...filterRows(fs, formatIsoDate(start + peak))],
    },
    comparison: { date: formatIsoDate(start + peak), rows },
    massRevocation: mass ? massSummary(mass, flow, ctx) : null,
    chart,
    crlGrowth,
    checks: checks(flow),
  };
  RevocationSummarySchema.parse(summary);

  const files: Record<string, string> = { [REVOCATION_FILES.daily]: dailyCsv(flow, ctx) };
  if (mass) files[REVOCATION_FILES.massRevocation] = massCsv(mass, start);
  return {
    params: p,
    flow,
    mass,
    summary,
    report: { summary, measured: built.measured },
    files,
  };
}

function roundStaleness(s: { p50: number; p90: number; p99: number; max: number }) {
  const r = (x: number) => Number(x.toFixed(3));
  return { p50: r(s.p50), p90: r(s.p90), p99: r(s.p99), max: r(s.max) };
}

interface Samples {
  shapes: Record<CertType, { full: CrlShape; delta: CrlShape; partition: CrlShape }>;
  rows: RevocationSummary["sample"]["artefacts"];
  statusBytes: number;
  measured: MeasuredCosts | null;
}

/** Build the real artefacts of the largest live CA of each type on each sampled day. */
function buildSamples(
  p: RevocationParams,
  flow: FlowResult,
  days: readonly number[],
  opts: RevocationRunOptions,
): Samples {
  const rnd = mulberry32(opts.seed ^ 0x5eed0b1e);
  const roots = new Map<string, JpkiRoot>();
  const rootOf = (type: CertType, generation: number): JpkiRoot => {
    const key = `${type}${generation}`;
    let r = roots.get(key);
    if (!r) {
      const from = p.rootGenerations[type].find((g) => g.generation === generation)!.from;
      r = createSampleRoot(type, generation, parseIsoDate(from) * DAY_MS - JST_MS);
      roots.set(key, r);
    }
    return r;
  };
  const perEntry = entryBytes(p.serialBytes);
  const shapes = {} as Samples["shapes"];
  const rows: Samples["rows"] = [];
  let statusBytes = 0;
  let measured: MeasuredCosts | null = null;
  for (const t of days) {
    const at = (flow.startDay + t) * DAY_MS - JST_MS + p.strategies.publishHour * 3_600_000 + DAY_MS;
    for (const type of CERT_TYPES) {
      let best = flow.cas[0]!;
      for (const ca of flow.cas)
        if (ca.type === type && (best.type !== type || ca.entries[t]! > best.entries[t]!)) best = ca;
      const root = rootOf(type, best.generation);
      const B = p.strategies.deltaBaseDays;
      const base = t - (t % B);
      let added = 0;
      for (let d = base + 1; d <= t; d++) added += best.added[d]!;
      const nFull = round(best.entries[t]! * p.sample.entryRate);
      const nDelta = round(added * p.sample.entryRate);
      const full = randomEntries(rnd, nFull, at, REASON_CODE.move, p.serialBytes);
      const delta = randomEntries(rnd, nDelta, at, REASON_CODE.renewal, p.serialBytes);
      const a = buildCrlArtefacts({
        root,
        type,
        at,
        full,
        delta,
        partitions: p.strategies.partitions,
        crlNumber: 2 * t + 2,
      });
      const s = {
        full: crlShape(a.empty.full),
        delta: crlShape(a.empty.delta),
        partition: crlShape(a.empty.partition),
      };
      shapes[type] ??= s;
      const date = formatIsoDate(flow.startDay + t);
      const g = best.generation;
      rows.push(
        {
          date,
          type,
          generation: g,
          kind: "full",
          entries: nFull,
          bytes: a.full.length,
          modelBytes: crlBytes(s.full, nFull, perEntry),
        },
        {
          date,
          type,
          generation: g,
          kind: "delta",
          entries: nDelta,
          bytes: a.delta.length,
          modelBytes: crlBytes(s.delta, nDelta, perEntry),
        },
      );
      const p0 = parseCrl(a.partitions[0]!);
      rows.push({
        date,
        type,
        generation: g,
        kind: "partition",
        entries: p0.entries.count,
        bytes: a.partitions[0]!.length,
        modelBytes: crlBytes(s.partition, p0.entries.count, perEntry),
      });
      const serial = full.count > 0 ? full.serials.subarray(0, full.serialWidth) : Uint8Array.of(1);
      const respond = () =>
        buildStatusResponse(
          root,
          serial,
          { status: "revoked", revokedAt: at - 3_600_000, reason: REASON_CODE.move },
          at,
          at + 3_600_000,
        );
      const status = respond(); // also the warm-up of the timing below
      let signUs = 0;
      if ((opts.measure ?? true) && measured === null) {
        const reps = 16;
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) respond();
        signUs = ((performance.now() - t0) * 1000) / reps;
      }
      statusBytes = Math.max(statusBytes, status.length);
      rows.push({
        date,
        type,
        generation: g,
        kind: "status",
        entries: 1,
        bytes: status.length,
        modelBytes: status.length,
      });
      if ((opts.measure ?? true) && measured === null && full.count > 0)
        measured = measure(a.full, full, signUs);
    }
  }
  return { shapes, rows, statusBytes, measured };
}

/** Parse and index the sample CRL, then time lookups of listed serials. */
function measure(
  der: Uint8Array,
  entries: { count: number; serialWidth: number; serials: Uint8Array },
  signUs: number,
): MeasuredCosts {
  const t0 = performance.now();
  const crl = parseCrl(der);
  const parseMs = performance.now() - t0;
  const w = entries.serialWidth;
  const probes = Math.min(entries.count, 4096);
  const serials = Array.from({ length: probes }, (_, i) => entries.serials.subarray(i * w, (i + 1) * w));
  let found = 0;
  for (const s of serials) crl.entries.find(s); // warm-up pass (JIT), not timed
  const rounds = 64;
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const s of serials) if (crl.entries.find(s) >= 0) found++;
  const ns = ((performance.now() - t1) * 1e6) / (rounds * probes);
  if (found !== rounds * probes) throw new Error("sample CRL lookup missed a listed serial");
  return {
    crlEntries: crl.entries.count,
    crlParseMs: parseMs,
    crlLookupNs: ns,
    statusResponseSignUs: signUs,
  };
}

/** The sample filters as artefact rows: real bytes beside the size the comparison uses. */
function filterRows(
  fs: ReturnType<typeof sampleFilter> | null,
  date: string,
): RevocationSummary["sample"]["artefacts"] {
  if (!fs) return [];
  return [
    {
      date,
      type: "auth",
      generation: 1,
      kind: "filter",
      entries: fs.revoked,
      bytes: fs.fullBytes,
      modelBytes: estimateFilterBytes(fs.universe, fs.revoked),
    },
    {
      date,
      type: "auth",
      generation: 1,
      kind: "filterDelta",
      entries: fs.deltaTargets,
      bytes: fs.deltaBytes,
      modelBytes: estimateFilterBytes(fs.universe + fs.issued, fs.deltaTargets),
    },
  ];
}

/** A real filter on the peak day's universe at the sample rate (strategy e). */
function sampleFilterFor(p: RevocationParams, flow: FlowResult, t: number, seed: number) {
  const type: CertType = "auth";
  const revoked = crlEntriesOfType(flow, type, t);
  const universe = flow.valid[type][t]! + revoked;
  const n = Math.max(2000, round(universe * p.sample.entryRate));
  const k = Math.max(1, round(revoked * p.sample.entryRate));
  let added = 0;
  for (const ca of flow.cas) if (ca.type === type) added += ca.added[t]!;
  const changed = Math.max(1, round(added * p.sample.entryRate));
  const issued = round(flow.issued[type][t]! * p.sample.entryRate);
  if (k >= n) return null;
  return sampleFilter(seed, n, k, changed, issued);
}

/** The flow against published figures (FACTS §1.4, §3.3). */
function checks(flow: FlowResult): RevocationSummary["checks"] {
  const span = (from: string, to: string, f: (t: number) => number): number | null => {
    const a = parseIsoDate(from) - flow.startDay;
    const b = parseIsoDate(to) - flow.startDay;
    if (a < 0 || b > flow.days) return null;
    let s = 0;
    for (let t = a; t < b; t++) s += f(t);
    return round(s);
  };
  return [
    {
      what: "authentication certificates coming due in FY2025 (renewed or lapsed)",
      model: span(
        "2025-04-01",
        "2026-04-01",
        (t) => flow.revocations.auth.renewal[t]! + flow.lapsed.auth[t]!,
      ),
      // every expiry ends the holder's certificates: ≈12 M cards (10-year adult cards of 2015–16 and
      // 5-year minors' cards, their certificates with them) + ≈15.8 M certificates alone
      reference: 27_800_000,
      source:
        "FACTS §1.4: ≈27.8 M expiries expected in FY2025 — ≈12 M cards + ≈15.8 M e-certificates (https://www.pacola.co.jp/?p=50673); the model has no card expiry of its own",
    },
    {
      what: "signature certificates revoked by moves in 2023",
      model: span("2023-01-01", "2024-01-01", (t) => flow.revocations.sign.move[t]!),
      reference: 4_880_967,
      source:
        "FACTS §3.3: 4,880,967 inter-municipal movers (2016) — all residents, not only holders, and without intra-municipal moves",
    },
  ];
}

function byYear(flow: FlowResult): RevocationSummary["byYear"] {
  const out: RevocationSummary["byYear"] = [];
  const first = Number(formatIsoDate(flow.startDay).slice(0, 4));
  const last = Number(formatIsoDate(flow.startDay + flow.days - 1).slice(0, 4));
  for (let y = first; y <= last; y++) {
    const from = Math.max(0, parseIsoDate(`${y}-01-01`) - flow.startDay);
    const to = Math.min(flow.days, parseIsoDate(`${y + 1}-01-01`) - flow.startDay);
    for (const type of CERT_TYPES) {
      const sum = (a: Float64Array) => {
        let s = 0;
        for (let t = from; t < to; t++) s += a[t]!;
        return round(s);
      };
      const revoked: Record<string, number> = {};
      for (const r of REASONS) revoked[r] = sum(flow.revocations[type][r]);
      out.push({ year: y, type, issued: sum(flow.issued[type]), expired: sum(flow.expired[type]), revoked });
    }
  }
  return out;
}

function peakRevocations(flow: FlowResult): { date: string; count: number } {
  let best = 0;
  let bestT = 0;
  for (let t = 0; t < flow.days; t++) {
    let s = 0;
    for (const type of CERT_TYPES) for (const r of REASONS) s += flow.revocations[type][r][t]!;
    if (s > best) {
      best = s;
      bestT = t;
    }
  }
  return { date: formatIsoDate(flow.startDay + bestT), count: round(best) };
}

function massSummary(m: MassRevocationResult, flow: FlowResult, ctx: StrategyContext) {
  const d = m.day;
  const after = Math.min(flow.days - 1, d + 1);
  const entries = (t: number) => crlEntriesOfType(flow, "auth", t) + crlEntriesOfType(flow, "sign", t);
  const filterBytes = (t: number) => {
    if (!ctx.filter) return null;
    let s = 0;
    for (const type of CERT_TYPES) {
      const k = crlEntriesOfType(flow, type, t);
      s += ctx.filter.fullBytes(flow.valid[type][t]! + k, k);
    }
    return round(s);
  };
  let peakF = 0;
  for (let k = 1; k < m.authFailures.length; k++) if (m.authFailures[k]! > m.authFailures[peakF]!) peakF = k;
  let total = 0;
  for (const x of m.authFailures) total += x;
  const max = (a: Float64Array) => round(a.reduce((x, y) => Math.max(x, y), 0));
  let suspended = 0;
  for (const type of CERT_TYPES) suspended += flow.revocations[type].massSuspension[d]!;
  return {
    date: formatIsoDate(flow.startDay + d),
    cards: round(m.cards),
    suspendedCertificates: round(suspended),
    crlEntriesBefore: round(entries(Math.max(0, d - 1))),
    crlEntriesAfter: round(entries(after)),
    filterBytesBefore: filterBytes(Math.max(0, d - 1)),
    filterBytesAfter: filterBytes(after),
    peakQueueRemote: max(m.queueRemote),
    peakQueueCounter: max(m.queueCounter),
    revokedAtDeadline: round(m.revokedAtDeadline),
    daysTo95Percent: m.daysTo95Percent,
    authFailuresTotal: round(total),
    authFailuresPeak: {
      date: formatIsoDate(flow.startDay + d + peakF),
      count: round(m.authFailures[peakF]!),
    },
    authFailuresByClass: Object.fromEntries(
      AUTH_CLASSES.map((c) => [c, round(m.authFailuresByClass[c].reduce((a, b) => a + b, 0))]),
    ),
  };
}

/** revocation.csv: fixed columns, then revocations by type and reason, then entries per CA. */
function dailyCsv(flow: FlowResult, ctx: StrategyContext): string {
  const reasonCols = CERT_TYPES.flatMap((type) =>
    REASONS.map((r) => ({ name: `${type}_revoked_${r}`, a: flow.revocations[type][r] })),
  );
  const caCols = flow.cas.map((ca) => ({ name: `${ca.type}_g${ca.generation}_crl_entries`, a: ca.entries }));
  const head = [...REVOCATION_CSV_FIXED, ...reasonCols.map((c) => c.name), ...caCols.map((c) => c.name)];
  const lines = [head.join(",")];
  for (let t = 0; t < flow.days; t++) {
    const row = [
      formatIsoDate(flow.startDay + t),
      round(flow.issued.auth[t]!),
      round(flow.issued.sign[t]!),
      round(flow.valid.auth[t]!),
      round(flow.valid.sign[t]!),
      round(crlEntriesOfType(flow, "auth", t)),
      round(crlEntriesOfType(flow, "sign", t)),
      round(fullCrlBytes(ctx, "auth", t)),
      round(fullCrlBytes(ctx, "sign", t)),
      ...reasonCols.map((c) => round(c.a[t]!)),
      ...caCols.map((c) => round(c.a[t]!)),
    ];
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

function massCsv(m: MassRevocationResult, startDay: number): string {
  const lines = [MASS_REVOCATION_CSV_COLUMNS.join(",")];
  for (let k = 0; k < m.suspended.length; k++) {
    lines.push(
      [
        formatIsoDate(startDay + m.day + k),
        round(m.requestsRemote[k]!),
        round(m.requestsCounter[k]!),
        round(m.rekeyedRemote[k]!),
        round(m.rekeyedCounter[k]!),
        round(m.remoteFailures[k]!),
        round(m.queueRemote[k]!),
        round(m.queueCounter[k]!),
        round(m.suspended[k]!),
        round(m.authFailures[k]!),
        ...AUTH_CLASSES.map((c) => round(m.authFailuresByClass[c][k]!)),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Failed authentications per date caused by the incident: what sim/auth consumes. */
export function authFailuresByDate(m: MassRevocationResult, startDay: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let k = 0; k < m.authFailures.length; k++)
    out.set(formatIsoDate(startDay + m.day + k), m.authFailures[k]!);
  return out;
}
