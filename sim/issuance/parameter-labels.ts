/**
 * Every numeric parameter of a scenario with its label (issue 9 item 2): `sourced` (a figure in
 * /work/shared/FACTS.md or data/, with its section), `assumed` (a declared guess with a range) or
 * `fitted` (fitted to official data, with its bounds). A parameter's label comes, first found, from
 *  1. the scenario's `parameterLabels:` block (by key path, as for `--set`),
 *  2. the `uncertainty:` block of `myna-twin calibrate` (its label and range),
 *  3. the `calibrate:` block (fitted, within its bounds),
 *  4. the default of its field below (a pattern with `[*]` for any list index).
 * Ranges written `relative` scale the value (×low … ×high). Not issuance-model parameters, so not
 * listed: the target and crypto sample (the question and a demonstration), the blocks that describe
 * other runs or parameters (`counterfactuals`, `parameterLabels`, `calibrate`, `uncertainty`), and
 * the blocks of the other models a scenario may drive (`auth`, `revocation`, `network`: issues 10–12).
 * @module
 */
import type { IssuanceParams, ParameterLabel, ParameterLabelSpec } from "./params.js";

/** One row of the "Parameters by label" table (report) and of summary.json `parameters`. */
export interface ParameterRow {
  path: string;
  value: number;
  label: ParameterLabel;
  /** Where the value comes from, or what the guess rests on. */
  source: string;
  /** The range of an assumed value, the bounds of a fitted one; null for a sourced one. */
  range: [number, number] | null;
}

interface DefaultRule {
  pattern: string;
  label: ParameterLabel;
  source: string;
  range?: [number, number];
  /** The range as factors of the value. */
  relative?: [number, number];
}

/** Subtrees that hold no parameters of this run. */
export const UNLABELLED_SUBTREES = [
  "target",
  "cryptoSample",
  "counterfactuals",
  "parameterLabels",
  "calibrate",
  "uncertainty",
  "auth",
  "revocation",
  "network",
] as const;

/** Each numeric field's default label, in the order of the scenario file. */
export const DEFAULT_LABELS: readonly DefaultRule[] = [
  {
    pattern: "demand.baseAnnualPropensity[*].value",
    label: "assumed",
    source: "residents' annual propensity to apply before campaigns (planning assumption unless calibrated)",
    relative: [0.5, 1.5],
  },
  {
    pattern: "demand.municipalPropensity.shrinkage",
    label: "fitted",
    source: "fitted inside the uptake fit window (scenario comment; sim/issuance/uptake.ts)",
    range: [0, 1],
  },
  {
    pattern: "demand.initialBacklog.applications",
    label: "sourced",
    source:
      "FACTS §4.4: applications accumulated at ≈100 k/day Oct 2015 → Jan 2016; §4.1: 9.42 M by 2016-03-27",
  },
  {
    pattern: "demand.channels[*].share",
    label: "assumed",
    source: "split of online and paper applications",
    range: [0.2, 0.8],
  },
  {
    pattern: "demand.channels[*].delayDays",
    label: "assumed",
    source: "days until J-LIS receives an application",
    range: [0, 10],
  },
  {
    pattern: "demand.shocks[*].multiplier",
    label: "assumed",
    source: "documented event (source in the shock); size assumed",
    relative: [0.5, 2],
  },
  {
    pattern: "demand.shocks[*].rush.peakMultiplier",
    label: "assumed",
    source: "deadline rush; size assumed",
    relative: [0.5, 2],
  },
  {
    pattern: "demand.shocks[*].rush.tauDays",
    label: "assumed",
    source: "deadline rush; time constant assumed",
    relative: [0.5, 2],
  },
  {
    pattern: "demand.shocks[*].decay.peakMultiplier",
    label: "assumed",
    source: "launch effect; size assumed",
    relative: [0.5, 2],
  },
  {
    pattern: "demand.shocks[*].decay.tauDays",
    label: "assumed",
    source: "launch effect; time constant assumed",
    relative: [0.5, 2],
  },
  {
    pattern: "demand.campaigns[*].yen[*].value",
    label: "sourced",
    source: "FACTS §4.3: Mynapoint points in yen",
  },
  {
    pattern: "demand.response.points.referenceYen",
    label: "sourced",
    source: "FACTS §4.3: Mynapoint 1's ¥5,000, the yen the points response level refers to",
  },
  {
    pattern: "intake.capacityPerDay[*].value",
    label: "assumed",
    source: "J-LIS application intake; FACTS gives no capacity after 2016",
    relative: [0.67, 1.67],
  },
  {
    pattern: "factory.capacityPerDay[*].value",
    label: "assumed",
    source: "card factory capacity (FACTS §0: ≈110 k/day 2016, 3–4 M/month 2021, ≈140 k/day 2023)",
    relative: [0.8, 1.25],
  },
  { pattern: "shipping.days", label: "assumed", source: "factory → municipality transit", range: [2, 7] },
  {
    pattern: "notification.days",
    label: "assumed",
    source: "municipality receipt → postcard in hand",
    range: [3, 14],
  },
  {
    pattern: "pickup.delayDays[*].days",
    label: "assumed",
    source: "residents' delay after the postcard (FACTS §6: application → delivery ≈1 month in 2022–23)",
    relative: [0.5, 2],
  },
  {
    pattern: "pickup.delayDays[*].share",
    label: "assumed",
    source: "share of residents with that pickup delay",
    range: [0, 1],
  },
  {
    pattern: "counters.staffPerHundredThousand[*].value",
    label: "assumed",
    source:
      "counter staff on duty per 100,000 residents (no published staffing; FACTS §4.1 peaks bound it from below)",
    relative: [0.5, 2],
  },
  {
    pattern: "counters.minutesPerHandover",
    label: "assumed",
    source: "identity check, explanation, PIN setting and the J-LIS step at the counter",
    range: [10, 30],
  },
  {
    pattern: "counters.weekendFactor",
    label: "assumed",
    source: "some counters open at weekends",
    range: [0, 0.3],
  },
  {
    pattern: "counters.minimumStaff",
    label: "assumed",
    source: "the smallest municipality's desk (part-time)",
    range: [0.2, 1],
  },
  {
    pattern: "counters.minutesPerPinReset",
    label: "assumed",
    source:
      "a locked-out holder's visit: photo-ID check, unlock and PIN re-initialisation at the counter (FACTS §1.5 gives the rule, not the time)",
    range: [5, 30],
  },
  {
    pattern: "jlis.designLoadPerDay[*].value",
    label: "assumed",
    source:
      "card management system throughput at the normal transaction time (FACTS §4.4: 115 k/day design load in 2016)",
    relative: [0.8, 2],
  },
  {
    pattern: "jlis.transactionSeconds",
    label: "assumed",
    source: "normal J-LIS response time of a hand-over (FACTS §6 publishes none)",
    range: [3, 15],
  },
  {
    pattern: "jlis.terminalsPerMunicipality[*].value",
    label: "assumed",
    source: "simultaneous terminals per municipality (FACTS §4.4, §6: 30, raised to 42 in 2016)",
    range: [30, 42],
  },
  {
    pattern: "jlis.slowdowns[*].transactionSeconds",
    label: "assumed",
    source: "mean response time while slow (FACTS §4.4: tens of seconds)",
    range: [10, 60],
  },
  {
    pattern: "costs.cardProductionYenPerCard",
    label: "assumed",
    source: "blank card, personalisation, shipping",
    range: [500, 2000],
  },
  {
    pattern: "costs.jlisYenPerTransaction",
    label: "assumed",
    source: "FACTS §4.4: ≈¥6.9 bn system contract spread over the plan's 87 M cards (amortisation assumed)",
    range: [40, 160],
  },
  {
    pattern: "costs.counterStaffYenPerDay",
    label: "assumed",
    source: "a municipal staff day incl. overheads",
    range: [12_000, 40_000],
  },
  {
    pattern: "costs.postageYenPerCard",
    label: "assumed",
    source: "FACTS §4.3: ≈¥7 bn for forms mailed to ≈60 M residents ≈ ¥117 a letter",
    range: [63, 140],
  },
  {
    pattern: "renewal.certificateYears",
    label: "sourced",
    source: "FACTS §1.4: certificates valid to the 5th birthday after issuance",
  },
  {
    pattern: "renewal.minorCardYears",
    label: "sourced",
    source: "FACTS §0: cards of holders under 18 valid to the 5th birthday",
  },
  {
    pattern: "renewal.cardYears",
    label: "sourced",
    source: "FACTS §0: adult cards valid to the 10th birthday",
  },
  {
    pattern: "renewal.certificateRenewalShare",
    label: "assumed",
    source: "holders who renew an expiring certificate",
    range: [0.6, 0.95],
  },
  {
    pattern: "renewal.minorCardRenewalShare",
    label: "assumed",
    source: "minors' cards renewed on expiry",
    range: [0.7, 1],
  },
  {
    pattern: "renewal.cardRenewalShare",
    label: "assumed",
    source: "adult cards renewed on expiry",
    range: [0.6, 1],
  },
  {
    pattern: "renewal.leadDays",
    label: "assumed",
    source: "days before expiry holders renew (renewal opens 3 months before, FACTS §1.4)",
    range: [0, 90],
  },
  {
    pattern: "populationDynamics.birthsPerYear",
    label: "sourced",
    source: "FACTS §3.3: 727,288 births in 2023",
  },
  {
    pattern: "populationDynamics.deathsPerYear",
    label: "sourced",
    source: "FACTS §3.3: 1,576,016 deaths in 2023",
  },
  {
    pattern: "populationDynamics.movesPerYear",
    label: "sourced",
    source: "FACTS §3.3: 4.88 M inter-municipal moves of Japanese residents, 2016",
  },
  {
    pattern: "populationDynamics.moveSeasonality[*]",
    label: "assumed",
    source: "March–April peak from April 2021's 709,863 moves (FACTS §3.3); other months level",
    range: [0.6, 2],
  },
  {
    pattern: "populationDynamics.holderMortalityRatio",
    label: "assumed",
    source: "holders' death rate against adults without a card",
    range: [0.7, 1.3],
  },
];

const compiled = DEFAULT_LABELS.map((r) => ({
  rule: r,
  re: new RegExp(`^${r.pattern.replace(/[.[\]]/g, (c) => `\\${c}`).replace(/\\\[\*\\\]/g, "\\[\\d+\\]")}$`),
}));

/** Every numeric leaf of a scenario outside {@link UNLABELLED_SUBTREES}, as key path → value. */
export function numericParameters(params: IssuanceParams): { path: string; value: number }[] {
  const out: { path: string; value: number }[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "number") out.push({ path, value: v });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (path === "" && (UNLABELLED_SUBTREES as readonly string[]).includes(k)) continue;
        walk(x, path === "" ? k : `${path}.${k}`);
      }
  };
  walk(params, "");
  return out;
}

interface DeclaredBlock {
  parameters?: { path?: unknown; min?: unknown; max?: unknown; label?: unknown; source?: unknown }[];
}

/** The labels the calibration blocks declare (fitted parameters with bounds; sampled ranges). */
function calibrationLabels(params: IssuanceParams): Map<string, ParameterLabelSpec> {
  const out = new Map<string, ParameterLabelSpec>();
  const extra = params as unknown as { calibrate?: DeclaredBlock; uncertainty?: DeclaredBlock };
  const read = (block: DeclaredBlock | undefined, fallback: ParameterLabel): void => {
    for (const e of block?.parameters ?? []) {
      if (typeof e.path !== "string" || typeof e.min !== "number" || typeof e.max !== "number") continue;
      if (out.has(e.path)) continue;
      const label =
        e.label === "sourced" || e.label === "assumed" || e.label === "fitted" ? e.label : fallback;
      out.set(e.path, {
        label,
        range: [e.min, e.max],
        ...(typeof e.source === "string" ? { source: e.source } : {}),
      });
    }
  };
  read(extra.uncertainty, "assumed");
  read(extra.calibrate, "fitted");
  return out;
}

/** The label of one path, or null when neither the scenario nor the defaults give one. */
export function labelFor(
  params: IssuanceParams,
  path: string,
  value: number,
  declared = calibrationLabels(params),
): ParameterRow | null {
  const spec = params.parameterLabels?.[path] ?? declared.get(path);
  if (spec) {
    const rule = compiled.find((c) => c.re.test(path))?.rule;
    return {
      path,
      value,
      label: spec.label,
      source: spec.source ?? rule?.source ?? "",
      range: spec.label === "sourced" ? null : (spec.range ?? null),
    };
  }
  const rule = compiled.find((c) => c.re.test(path))?.rule;
  if (!rule) return null;
  const range: [number, number] | null =
    rule.label === "sourced"
      ? null
      : (rule.range ?? (rule.relative ? [value * rule.relative[0], value * rule.relative[1]] : null));
  return { path, value, label: rule.label, source: rule.source, range };
}

/**
 * The parameter table: every numeric parameter with its label, in the scenario's order. Paths no
 * rule labels are returned apart (`unlabelled`), so a test and the report can name them.
 */
export function parameterTable(params: IssuanceParams): { rows: ParameterRow[]; unlabelled: string[] } {
  const declared = calibrationLabels(params);
  const rows: ParameterRow[] = [];
  const unlabelled: string[] = [];
  for (const { path, value } of numericParameters(params)) {
    const row = labelFor(params, path, value, declared);
    if (row) rows.push(row);
    else unlabelled.push(path);
  }
  return { rows, unlabelled };
}
