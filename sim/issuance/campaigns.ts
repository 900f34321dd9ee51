/**
 * Demand campaigns and events through their mechanism (issue 9 item 5; FACTS §4.3): each campaign
 * is a dated event of one kind — a points campaign (yen on offer, eligibility window, application
 * deadline), a cash handout that needs an online application, a mandate with a deadline (the
 * health-insurance card's abolition), the driving-licence integration, the 2015–16 launch — and
 * every campaign of a kind acts through ONE response function of that kind with few parameters
 * (`demand.response`). So Mynapoint 2 is predicted from the response Mynapoint 1 revealed, scaled by
 * its yen, not given its own multiplier. Effects of concurrent campaigns add:
 *
 *   hazard multiplier(t) = 1 + Σ_campaigns effect(t)
 *   points:   (yen(t)/referenceYen)^yenExponent · (level + rushAmplitude · e^{−(deadline−t)/rushTauDays}),
 *             start ≤ t ≤ deadline
 *   handout:  level, start ≤ t ≤ end
 *   mandate:  level + rushAmplitude · e^{−(deadline−t)/rushTauDays}, start ≤ t ≤ deadline
 *   licence:  level, start ≤ t ≤ end
 *   launch:   peak · e^{−(t−start)/tauDays}, t ≥ start
 * @module
 */
import { parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import type { ScheduleEntry } from "./params.js";

export const CAMPAIGN_KINDS = ["points", "handout", "mandate", "licence", "launch"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** One campaign or event; which fields it needs depends on its kind (checked by {@link campaignProblems}). */
export interface Campaign {
  name: string;
  kind: CampaignKind;
  /** First day of the effect (eligibility window opens, handout announced, launch). */
  start: string;
  /** Last day of a window (handout, licence); points and mandate campaigns end on their deadline. */
  end?: string;
  /** Application deadline (points, mandate): the rush builds up to it, the effect stops after it. */
  deadline?: string;
  /** Points on offer per new card holder, yen, as a schedule (points campaigns). */
  yen?: ScheduleEntry[];
  source: string;
}

/** The response function of each kind: few parameters, shared by every campaign of that kind. */
export interface CampaignResponse {
  /**
   * `level` and `rushAmplitude` are the response to an offer of `referenceYen`; other offers scale by
   * (yen/referenceYen)^yenExponent. With the reference at the first campaign's offer (¥5,000), data on
   * that campaign alone cannot move the exponent: it stays a prior until a second offer is seen.
   */
  points?: {
    level: number;
    referenceYen: number;
    yenExponent: number;
    rushAmplitude: number;
    rushTauDays: number;
  };
  handout?: { level: number };
  mandate?: { level: number; rushAmplitude: number; rushTauDays: number };
  licence?: { level: number };
  launch?: { peak: number; tauDays: number };
}

/** A problem with one campaign: the field (below `demand`) and what was expected. */
export interface CampaignProblem {
  path: (string | number)[];
  message: string;
}

const NEEDS: Record<CampaignKind, { end: boolean; deadline: boolean; yen: boolean }> = {
  points: { end: false, deadline: true, yen: true },
  handout: { end: true, deadline: false, yen: false },
  mandate: { end: false, deadline: true, yen: false },
  licence: { end: true, deadline: false, yen: false },
  launch: { end: false, deadline: false, yen: false },
};

/** Cross-field rules of `demand.campaigns` and `demand.response` (paths relative to the scenario). */
export function campaignProblems(
  campaigns: Campaign[],
  response: CampaignResponse | undefined,
): CampaignProblem[] {
  const out: CampaignProblem[] = [];
  campaigns.forEach((c, i) => {
    const at = (f: string): (string | number)[] => ["demand", "campaigns", i, f];
    const need = NEEDS[c.kind];
    for (const f of ["end", "deadline", "yen"] as const) {
      if (need[f] && c[f] === undefined)
        out.push({ path: at(f), message: `a ${c.kind} campaign needs ${f}` });
      if (!need[f] && c[f] !== undefined)
        out.push({ path: at(f), message: `a ${c.kind} campaign has no ${f} (see scenarios/README.md)` });
    }
    const start = parseIsoDate(c.start);
    const last = c.end ?? c.deadline;
    if (last !== undefined && parseIsoDate(last) < start)
      out.push({
        path: at(c.end !== undefined ? "end" : "deadline"),
        message: `must not be before start (${c.start})`,
      });
    c.yen?.forEach((y, j) => {
      if (parseIsoDate(y.from) < start)
        out.push({
          path: [...at("yen"), j, "from"],
          message: `must not be before the campaign's start (${c.start})`,
        });
    });
    if (!response?.[c.kind])
      out.push({
        path: at("kind"),
        message: `demand.response.${c.kind} is missing (the ${c.kind} response function)`,
      });
  });
  return out;
}

interface Compiled {
  kind: CampaignKind;
  start: number;
  last: number;
  deadline: number;
  yenFrom: Float64Array;
  yenValue: Float64Array;
}

/** The demand multiplier of a scenario's campaigns, day by day. */
export class CampaignProfile {
  readonly #campaigns: Compiled[];
  readonly #response: CampaignResponse;

  constructor(campaigns: readonly Campaign[] | undefined, response: CampaignResponse | undefined) {
    this.#response = response ?? {};
    this.#campaigns = (campaigns ?? []).map((c, i) => {
      const at = (f: string): string => `demand.campaigns[${i}].${f}`;
      if (!this.#response[c.kind])
        throw new InputError(
          `${at("kind")}: demand.response.${c.kind} is missing (the ${c.kind} response function)`,
        );
      const start = parseIsoDate(c.start, at("start"));
      const deadline = c.deadline !== undefined ? parseIsoDate(c.deadline, at("deadline")) : Number.NaN;
      const end = c.end !== undefined ? parseIsoDate(c.end, at("end")) : Number.NaN;
      const last = c.kind === "launch" ? Infinity : Number.isNaN(deadline) ? end : deadline;
      if (Number.isNaN(last))
        throw new InputError(`${at("end")}: a ${c.kind} campaign needs an end or deadline`);
      const yen = c.yen ?? [];
      return {
        kind: c.kind,
        start,
        last,
        deadline,
        yenFrom: Float64Array.from(yen, (y, j) => parseIsoDate(y.from, `${at("yen")}[${j}].from`)),
        yenValue: Float64Array.from(yen, (y) => y.value),
      };
    });
  }

  /** 1 + the sum of the active campaigns' effects on `day` (1 when none is active). */
  at(day: number): number {
    let m = 1;
    for (const c of this.#campaigns) if (day >= c.start && day <= c.last) m += this.#effect(c, day);
    return m;
  }

  #effect(c: Compiled, day: number): number {
    const r = this.#response;
    switch (c.kind) {
      case "points": {
        const p = r.points!;
        let yen = 0;
        for (let i = 0; i < c.yenFrom.length && c.yenFrom[i]! <= day; i++) yen = c.yenValue[i]!;
        if (yen <= 0) return 0;
        const scale = Math.pow(yen / p.referenceYen, p.yenExponent);
        return scale * (p.level + p.rushAmplitude * Math.exp(-(c.deadline - day) / p.rushTauDays));
      }
      case "mandate": {
        const p = r.mandate!;
        return p.level + p.rushAmplitude * Math.exp(-(c.deadline - day) / p.rushTauDays);
      }
      case "handout":
        return r.handout!.level;
      case "licence":
        return r.licence!.level;
      case "launch": {
        const p = r.launch!;
        return p.peak * Math.exp(-(day - c.start) / p.tauDays);
      }
    }
  }
}
