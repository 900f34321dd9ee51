/**
 * Every numeric parameter of a scenario's `network:` block with its label (issue 12 item 1, the
 * labelling of issue 9 item 2 in sim/issuance/parameter-labels.ts, which leaves the network block
 * to this module): `sourced` (a FACTS §5.5 figure, with its section) or `assumed` (a declared guess
 * with a range). A sourced rule names the figure it cites; a scenario that sets another value turns
 * the row into an assumption whose range spans both. Observed years of use carry their own source.
 * @module
 */
import type { NetworkParams } from "./params.js";

/** One row of the network's "Parameters by label" table (report) and of summary.json `network.parameters`. */
export interface NetworkParameterRow {
  /** Key path from the scenario's root, as for `--set` (`network.core.servers`). */
  path: string;
  value: number;
  label: "sourced" | "assumed";
  source: string;
  /** The range of an assumed value; null for a sourced one. */
  range: [number, number] | null;
}

interface Rule {
  /** Path under `network.`; `[*]` is any list index, `.*` any key of a record. */
  pattern: string;
  label: "sourced" | "assumed";
  source: string;
  /** For a sourced rule: the figure the source gives. */
  cites?: number;
  range?: [number, number];
  /** The range as factors of the value. */
  relative?: [number, number];
}

/** The labels, in the order of the block. */
export const NETWORK_LABELS: readonly Rule[] = [
  {
    pattern: "annualExchanges",
    label: "sourced",
    cites: 190e6,
    source: "FACTS §5.5: ≈190 M uses by all users in FY2022 (Asahi via ANN)",
  },
  {
    pattern: "designAnnualExchanges",
    label: "sourced",
    cites: 640e6,
    source: "FACTS §5.5: designed (FY2017) for ≈640 M uses a year",
  },
  {
    pattern: "annualCostYen",
    label: "assumed",
    source:
      "FACTS §5.5: ¥74.9 bn build and operation FY2014–FY2022 spread evenly over 9 years (¥8.3 bn); " +
      "low: the ¥13.9 bn build left out, (74.9 − 13.9) / 9; high: all but the ¥11.4 bn build contract on the " +
      "5.4 years of operation since 2017-11, (74.9 − 11.4) / 5.4",
    range: [6.7e9, 11.8e9],
  },
  {
    pattern: "auditShareOfPlan",
    label: "sourced",
    cites: 0.05,
    source: "FACTS §5.5: the Board of Audit (2021) found use at 5 % of the planned level",
  },
  {
    pattern: "observedUse[*].exchanges",
    label: "sourced",
    source: "", // the entry's own source
  },
  {
    pattern: "monthShares[*]",
    label: "assumed",
    source:
      "share of the year's exchanges by month, April → March: peaks in June–August (local tax, child allowance, insurance renewals) and January–March (tax season); no monthly series found",
    relative: [0.6, 1.4],
  },
  {
    pattern: "workingDaysPerMonth",
    label: "assumed",
    source: "government working days a month",
    range: [19, 22],
  },
  {
    pattern: "peakHourShare",
    label: "assumed",
    source: "share of a working day's exchanges in its busiest hour (office hours 08:30–17:15, morning peak)",
    range: [0.12, 0.25],
  },
  {
    pattern: "procedureShares.*",
    label: "assumed",
    source:
      "share of exchanges by procedure family; local tax the largest (FACTS §5.5, Board of Audit FY2022), the rest guessed",
    relative: [0.5, 1.5],
  },
  {
    pattern: "networkDelayMs",
    label: "assumed",
    source:
      "one-way delay institution ↔ core over LGWAN / the government WAN (no published figure, FACTS §6)",
    range: [5, 50],
  },
  {
    pattern: "core.servers",
    label: "assumed",
    source: "parallel servers of the core (code mapping, whitelist, signatures); no published sizing",
    range: [4, 64],
  },
  {
    pattern: "core.serviceMs",
    label: "assumed",
    source: "core work per exchange (HMAC code mapping, whitelist, two signatures, record write)",
    range: [5, 100],
  },
  {
    pattern: "intermediate.servers",
    label: "assumed",
    source: "pooled intermediate servers (副本 look-up) serving providers; no published sizing",
    range: [16, 256],
  },
  {
    pattern: "intermediate.serviceMs",
    label: "assumed",
    source: "intermediate server's look-up and signed answer per exchange",
    range: [30, 500],
  },
  {
    pattern: "simulatedSeconds",
    label: "assumed",
    source:
      "seconds of the busiest hour run exchange by exchange (a method setting: the hour is taken as stationary)",
    range: [60, 3600],
  },
];

const compiled = NETWORK_LABELS.map((rule) => ({
  rule,
  re: new RegExp(
    `^${rule.pattern
      .replace(/[.[\]*]/g, (c) => `\\${c}`)
      .replace(/\\\[\\\*\\\]/g, "\\[\\d+\\]")
      .replace(/\\\.\\\*/g, "\\.[^.]+")}$`,
  ),
}));

/** Every numeric leaf of the block, as a path under `network.` → value. */
export function numericNetworkParameters(p: NetworkParams): { path: string; value: number }[] {
  const out: { path: string; value: number }[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "number") out.push({ path, value: v });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(x, path === "" ? k : `${path}.${k}`);
  };
  walk(p, "");
  return out;
}

/** The rows of every numeric parameter of the block; `unlabelled` lists paths no rule covers. */
export function networkParameterTable(p: NetworkParams): {
  rows: NetworkParameterRow[];
  unlabelled: string[];
} {
  const rows: NetworkParameterRow[] = [];
  const unlabelled: string[] = [];
  for (const { path, value } of numericNetworkParameters(p)) {
    const rule = compiled.find((c) => c.re.test(path))?.rule;
    const full = `network.${path}`;
    if (!rule) {
      unlabelled.push(full);
      continue;
    }
    if (rule.label === "sourced") {
      const observed = /^observedUse\[(\d+)\]\.exchanges$/.exec(path);
      if (observed) {
        rows.push({
          path: full,
          value,
          label: "sourced",
          source: p.observedUse[Number(observed[1])]!.source,
          range: null,
        });
      } else if (rule.cites === undefined || rule.cites === value) {
        rows.push({ path: full, value, label: "sourced", source: rule.source, range: null });
      } else {
        const c = rule.cites;
        rows.push({
          path: full,
          value,
          label: "assumed",
          source: `set by the scenario; ${rule.source}`,
          range: [Math.min(c, value), Math.max(c, value)],
        });
      }
      continue;
    }
    const range: [number, number] = rule.range ?? [value * rule.relative![0], value * rule.relative![1]];
    rows.push({
      path: full,
      value,
      label: "assumed",
      source: rule.source,
      range: [Math.min(range[0], value), Math.max(range[1], value)],
    });
  }
  return { rows, unlabelled };
}
