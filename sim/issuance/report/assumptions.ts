/**
 * Assumptions and sources: every parameter of the resolved scenario — run period and target, demand
 * and its shocks, capacities, delays, J-LIS outages, renewals — and the data files read, each with
 * the source the scenario file quotes.
 * @module
 */
import { p, type Block } from "./blocks.js";
import { days, grouped, int, ordinal, outageMinutes, ratioPct, times } from "./format.js";
import { scheduleTable } from "./frame.js";
import type { ReportInput } from "./input.js";

/** The assumptions section. */
export function assumptionsSection(input: ReportInput): Block[] {
  const pr = input.params;
  const d = pr.demand;
  const perDay = (v: number) => int(v);
  const out: Block[] = [
    { kind: "h", level: 2, text: "Assumptions and sources", id: "assumptions" },
    p(
      "Every parameter of the resolved scenario (after ",
      { code: "--set" },
      " overrides). Sources are quoted as the scenario file gives them.",
    ),
    { kind: "h", level: 3, text: "Run period and target" },
    {
      kind: "list",
      items: [
        [`Simulated days: ${pr.start} – ${pr.end} (inclusive).`],
        [
          `Target: ${int(pr.target.cards)} cards issued by ${pr.target.date}${pr.target.solveCapacity ? "; the run also searches the capacity multiplier that would reach it" : ""}.`,
        ],
      ],
    },
    { kind: "h", level: 3, text: "Demand" },
    {
      kind: "list",
      items: [
        [
          "Base annual propensity: the share of residents without a card or application who apply within a year, before shocks (schedule below).",
        ],
        [
          `Age profile of uptake: ${d.ageProfile ? "applied (national age profile, data/demographics-2022-12-31.csv)" : "not applied (uniform across ages)"}.`,
        ],
        [
          d.municipalPropensity
            ? `Propensity by municipality: fitted — each municipality's relative uptake hazard from data/issuance-by-municipality.csv on the latest official date on or before ${d.municipalPropensity.fitDate} (later rows are not read), shrunk toward 1 by ${ratioPct(d.municipalPropensity.shrinkage)}, scaled to keep the national hazard; the fit date is assumed. Source: ${d.municipalPropensity.source}`
            : "Propensity by municipality: none (assumed) — every municipality applies with the national hazard, so demand is proportional to population.",
        ],
        [
          `Initial backlog: ${int(d.initialBacklog.applications)} applications waiting at the start, spread over application dates ${d.initialBacklog.from} – ${d.initialBacklog.to}. Source: ${d.initialBacklog.source}`,
        ],
      ],
    },
    scheduleTable(d.baseAnnualPropensity, "annual propensity", (v) => ratioPct(v, 2)),
    {
      kind: "table",
      caption: "Application channels",
      head: ["channel", "share", "days until J-LIS receives it"],
      align: ["l", "r", "r"],
      rows: d.channels.map((c) => [c.name, ratioPct(c.share), days(c.delayDays)]),
    },
  ];
  if (d.shocks.length > 0) {
    out.push({
      kind: "table",
      caption: "Demand shocks (the application hazard is multiplied while a shock is active)",
      head: ["shock", "window", "multiplier", "shape", "source"],
      align: ["l", "l", "r", "l", "l"],
      rows: d.shocks.map((s) => {
        const shape: string[] = [];
        if (s.decay)
          shape.push(
            `starts at ${times(s.decay.peakMultiplier)} on ${s.start}, decays to ×1 (τ ${days(s.decay.tauDays)} d)`,
          );
        if (s.rush)
          shape.push(
            `rises to ${times(s.rush.peakMultiplier)} on the deadline ${s.rush.deadline} (τ ${days(s.rush.tauDays)} d)`,
          );
        return [
          s.name,
          `${s.start} – ${s.end}`,
          times(s.multiplier),
          shape.length ? shape.join("; ") : "flat",
          s.source,
        ];
      }),
    });
  } else {
    out.push(p("No demand shocks."));
  }

  out.push({ kind: "h", level: 3, text: "Capacities" });
  out.push(p({ b: "J-LIS application intake" }, " (aggregation, checking, photo review), cards per day:"));
  out.push(scheduleTable(pr.intake.capacityPerDay, "cards/day", perDay));
  out.push(p({ b: "Card factory" }, " (manufacture and personalisation), cards per day:"));
  out.push(scheduleTable(pr.factory.capacityPerDay, "cards/day", perDay));
  out.push(
    p(
      { b: "J-LIS hand-over system" },
      ` (card management system): design load at a normal transaction time of ${grouped(pr.jlis.transactionSeconds, 1)} s, cut in proportion to the transaction time while responses are slow; each municipality's terminals × business seconds ÷ transaction time bound its hand-overs. Design load, cards per day:`,
    ),
  );
  out.push(scheduleTable(pr.jlis.designLoadPerDay, "cards/day", perDay));
  out.push(p("Simultaneous terminals per municipality:"));
  out.push(scheduleTable(pr.jlis.terminalsPerMunicipality, "terminals", (v) => grouped(v, 0)));
  if (pr.jlis.slowdowns.length > 0)
    out.push({
      kind: "list",
      items: pr.jlis.slowdowns.map((w) => [
        `Slow responses ${w.start} → ${w.end}: ${grouped(w.transactionSeconds, 1)} s per transaction (${w.source}).`,
      ]),
    });
  out.push(
    p(
      { b: "Municipal counters" },
      `: staff on duty × opening minutes (${pr.jlis.businessHours.open}–${pr.jlis.businessHours.close}) ÷ ${grouped(pr.counters.minutesPerHandover, 1)} staff minutes per hand-over; weekend staffing ${ratioPct(pr.counters.weekendFactor, 0)} of a weekday; at least ${grouped(pr.counters.minimumStaff, 2)} staff in the smallest municipality. Staff on duty per 100,000 residents on a weekday:`,
    ),
  );
  out.push(
    scheduleTable(pr.counters.staffPerHundredThousand, "staff per 100,000 residents", (v) => grouped(v, 2)),
  );

  out.push({ kind: "h", level: 3, text: "Delays" });
  let cum = 0;
  const totalShare = pr.pickup.delayDays.reduce((a, x) => a + x.share, 0);
  const meanPickup =
    totalShare > 0 ? pr.pickup.delayDays.reduce((a, x) => a + x.days * x.share, 0) / totalShare : Number.NaN;
  out.push({
    kind: "list",
    items: [
      [`Factory → municipality shipping: ${days(pr.shipping.days)} days.`],
      [
        `Municipality receipt → notification postcard in the resident's hands: ${days(pr.notification.days)} days.`,
      ],
      [`Postcard → counter visit: the empirical distribution below (mean ${days(meanPickup)} days).`],
    ],
  });
  out.push({
    kind: "table",
    caption: "Pick-up delay after the postcard",
    head: ["days", "share", "cumulative"],
    align: ["r", "r", "r"],
    rows: pr.pickup.delayDays.map((x) => {
      cum += x.share;
      return [days(x.days), ratioPct(x.share), ratioPct(cum)];
    }),
  });

  out.push({ kind: "h", level: 3, text: "J-LIS outages" });
  out.push(
    p(
      `Hand-overs stop during an outage. Business hours ${pr.jlis.businessHours.open} – ${pr.jlis.businessHours.close} (local time); outage minutes inside them in this run: ${grouped(input.summary.outageMinutesInBusinessHours, 1)}.`,
    ),
  );
  if (pr.jlis.outages.length > 0) {
    out.push({
      kind: "table",
      head: ["start", "end", "minutes", "source"],
      align: ["l", "l", "r", "l"],
      rows: pr.jlis.outages.map((o) => {
        return [o.start.replace("T", " "), o.end.replace("T", " "), outageMinutes(o.start, o.end), o.source];
      }),
    });
  } else {
    out.push(p("No outages in this scenario."));
  }

  const r = pr.renewal;
  out.push({ kind: "h", level: 3, text: "Renewals" });
  out.push({
    kind: "list",
    items: [
      [
        `Certificates expire at the ${ordinal(r.certificateYears)} birthday after issuance; ${ratioPct(r.certificateRenewalShare, 0)} of holders renew at the counter.`,
      ],
      [
        `Cards of minors (under 18; under 20 before 2022-04-01) expire at the ${ordinal(r.minorCardYears)} birthday; ${ratioPct(r.minorCardRenewalShare, 0)} are renewed by a new application.`,
      ],
    ],
  });

  out.push({ kind: "h", level: 3, text: "Data sources" });
  if (input.run.dataSources.length > 0) {
    out.push({
      kind: "table",
      head: ["file", "source"],
      rows: input.run.dataSources.map((s) => [s.file, s.source]),
    });
  } else {
    out.push(p("No data files were read."));
  }
  return out;
}
