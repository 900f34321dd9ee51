/**
 * The bench view: every benchmark result beside its reference measured in the same run, as a ratio
 * oriented so that above 1 means we are better (DESIGN.md §8), judged against the result's own
 * target (`meetsTarget` of sim/run-format/bench.ts): a bar chart of the ratios on a log axis (they
 * span ×0.1 to ×10⁶) from the parity line at ×1, each bar green when it meets its target, red when it
 * misses it, grey when it has none, with the target as a tick; `--quick` results are pale and marked
 * "quick". A table gives the raw figures, target and verdict; the machine and versions of each
 * document head its section. A document with a load curve (bench:load's `curve`, issue 10 item 5)
 * also gets its latency-versus-throughput chart: p99 corrected for coordinated omission and raw
 * against the achieved rate of each verify step, with the knee marked.
 * @module
 */

import { barChart } from "../../../engine/charts/index.js";
import { xyLineChart } from "../../../engine/charts/xy-line-chart.js";
import { meetsTarget } from "../../../sim/run-format/bench.js";
import type { BenchResult as FormatBenchResult, LoadCurvePoint } from "../../../sim/run-format/bench.js";
import type { BenchEntry, BenchIndex, BenchResult } from "../data/run-types.js";
import { attachInstantTips } from "./crosshair.js";
import { chartBox, h, link, problemBox, table } from "./dom.js";
import { format } from "d3-format";
import { measured, times } from "./format.js";

const plainRatio = format(",~f");
/** A tick or target ratio as written: "×0.1", "×10", "×1,000,000". */
const ratioTick = (v: number): string => `×${plainRatio(Number(v.toPrecision(6)))}`;

/** Pass/fail colours of the bars; grey for a result without a target. */
const VERDICT_COLORS = { met: "#59a14f", missed: "#e15759", none: "#9d9d9d" } as const;

/** `target` and `quick` as the document wrote them (null / false when the document predates them). */
function targetOf(r: BenchResult): { target: number | null; quick: boolean } {
  const x = r as BenchResult & { target?: unknown; quick?: unknown };
  return {
    target: typeof x.target === "number" && Number.isFinite(x.target) ? x.target : null,
    quick: x.quick === true,
  };
}

/** Whether a result meets its target: true, false, or null (no target). */
export function verdict(r: BenchResult): boolean | null {
  const { target, quick } = targetOf(r);
  return meetsTarget({ ...r, target, quick } as FormatBenchResult);
}

/** "×10 target", "≤ 64 bytes/event target" — how the target reads. */
function targetText(r: BenchResult): string {
  const { target } = targetOf(r);
  if (target === null) return "–";
  if (r.reference !== null) return `≥ ${ratioTick(target)}`;
  return `${r.higherIsBetter ? "≥" : "≤"} ${measured(target, r.unit)}`;
}

/** Options of the bench view. */
export interface BenchViewOptions {
  width: number;
}

const str = (v: unknown): string | null =>
  typeof v === "string" || typeof v === "number" ? String(v) : null;

function machineLine(e: BenchEntry): string {
  const m: Record<string, unknown> = e.document?.machine ?? {};
  const v: Record<string, unknown> = e.document?.versions ?? {};
  const parts = [
    str(m.cpuModel) ?? str(m.cpu),
    str(m.cores) ? `${str(m.cores)} cores` : null,
    str(m.loadAverage) ? `load ${Number(m.loadAverage).toFixed(2)}` : null,
    str(v.node) ? `node ${str(v.node)}` : null,
    str(v.openssl) ? `OpenSSL ${str(v.openssl)}` : null,
    str(v.gitCommit) ? `commit ${String(v.gitCommit).slice(0, 12)}` : null,
  ];
  return parts.filter((x): x is string => x !== null).join(" · ");
}

/** What the latency-versus-throughput chart draws from a bench:load document. */
export interface VerifyCurve {
  /** Verify steps on the curve (rising offered loads and the twin steps), by achieved rate. */
  readonly points: readonly LoadCurvePoint[];
  /** Verify steps left out because the generator fell behind its schedule. */
  readonly voidSteps: number;
  /** `load.verify.knee` (verifications/s), or null when the document has none. */
  readonly knee: number | null;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The verify curve of a bench:load document, or null when it has no verify steps: the `search`
 * steps (offered load rising until the service stops keeping up), the `twin` steps (30, 50 and
 * 80 % of the knee) and their `repeat`s, not void, with a p99; the overload and recovery steps are
 * not on the curve.
 */
export function verifyCurve(
  curve: readonly LoadCurvePoint[] | undefined,
  results: readonly BenchResult[],
): VerifyCurve | null {
  const verify = (curve ?? []).filter(
    (p) => p.target === "verify" && (p.phase === "search" || p.phase === "twin" || p.phase === "repeat"),
  );
  if (verify.length === 0) return null;
  const points = verify
    .filter((p) => !p.void && finite(p.achievedRate) && (finite(p.corrected.p99) || finite(p.raw.p99)))
    .sort((a, b) => a.achievedRate - b.achievedRate || a.offeredRate - b.offeredRate);
  const knee = results.find((r) => r.name === "load.verify.knee")?.value;
  return {
    points,
    voidSteps: verify.filter((p) => p.void).length,
    knee: finite(knee) ? knee : null,
  };
}

const rate = format(",.0f");

/** The latency-versus-throughput chart of a bench:load document (null without a verify curve). */
function curveChart(e: BenchEntry, k: number, width: number): HTMLElement | null {
  const c = verifyCurve(e.document?.curve, e.document?.results ?? []);
  if (!c || c.points.length === 0) return null;
  const svg = xyLineChart(
    {
      x: c.points.map((p) => p.achievedRate),
      series: [
        {
          name: "p99, corrected (from the intended send time)",
          values: c.points.map((p) => p.corrected.p99),
        },
        { name: "p99, raw (from the actual send)", values: c.points.map((p) => p.raw.p99), dash: "6 4" },
      ],
      rules: c.knee !== null ? [{ x: c.knee, label: `knee ${rate(c.knee)}/s` }] : [],
    },
    {
      id: `chart-bench-curve-${k}`,
      title: `${e.file}: verification latency against throughput`,
      xLabel: "achieved rate (verifications/s)",
      yLabel: "p99 latency (ms)",
      xFormat: (v) => rate(v),
      yFormat: (v) => format(",~r")(Number(v.toPrecision(4))),
      width,
    },
  );
  const note = [
    `${c.points.length} verify steps of open-loop load (offered rates rising to the knee and beyond, and the twin steps at 30, 50 and 80 % of the knee, each measured twice), by achieved rate`,
    c.voidSteps > 0
      ? `${c.voidSteps} void step${c.voidSteps === 1 ? "" : "s"} (the generator fell behind its schedule) left out`
      : "",
    "overload and recovery steps are not on the curve",
    c.knee === null ? "the document gives no knee" : "",
  ]
    .filter((x) => x !== "")
    .join("; ");
  return chartBox(svg, `bench-curve-${k}`, `${note}.`);
}

function documentSection(e: BenchEntry, k: number, width: number): HTMLElement {
  const head = h("h2", {}, e.file);
  if (e.status !== "ok" || !e.document)
    return h(
      "section",
      { class: "section" },
      head,
      problemBox(e.problem ?? "unreadable", "This document cannot be shown"),
    );
  const results = e.document.results;
  const withRatio = results.filter((r) => r.ratio !== null && r.ratio > 0);
  const quickCount = results.filter((r) => targetOf(r).quick).length;
  const chart =
    withRatio.length > 0
      ? chartBox(
          barChart(
            withRatio.map((r) => {
              const v = verdict(r);
              const { target, quick } = targetOf(r);
              return {
                label: `${r.name}${quick ? " (quick)" : ""}`,
                value: r.ratio,
                marker: r.reference !== null && target !== null && target > 0 ? target : null,
                color: v === null ? VERDICT_COLORS.none : v ? VERDICT_COLORS.met : VERDICT_COLORS.missed,
                opacity: quick ? 0.45 : 1,
                note: [
                  v === null ? "no target" : `${v ? "meets" : "misses"} its target ${targetText(r)}`,
                  quick ? "quick run (--quick): smaller workload, less stable" : "",
                ]
                  .filter((x) => x !== "")
                  .join("\n"),
              };
            }),
            {
              id: `chart-bench-${k}`,
              title:
                width < 560
                  ? `${e.file}: ratio to the reference`
                  : `${e.file}: ours over the reference, log scale (green meets its target, red misses it, grey no target)`,
              xLabel:
                width < 560
                  ? "× reference, log scale"
                  : "ratio to the reference (×, log scale; right of ×1: we are better)",
              color: VERDICT_COLORS.none,
              format: (v) => (Number.isInteger(Math.log10(v)) ? ratioTick(v) : times(v)),
              tooltipFormat: (v) => `×${Number(v.toPrecision(4))}`,
              valueName: width < 560 ? "ratio" : "ratio (colour: meets / misses / no target)",
              markerName: "target",
              scale: "log",
              base: 1,
              rules: [{ value: 1, label: "parity ×1" }],
              legend: true,
              width,
            },
          ),
          `bench-${k}`,
          quickCount > 0
            ? `${quickCount} result${quickCount === 1 ? " was" : "s were"} measured with --quick (pale bars, marked "quick"): a smaller workload whose figures are less stable than a full run's.`
            : undefined,
        )
      : h("p", {}, "No result in this document has a reference.");
  if (typeof chart !== "string") attachInstantTips(chart);
  return h(
    "section",
    { class: "section" },
    head,
    h("p", { class: "meta" }, machineLine(e)),
    chart,
    curveChart(e, k, width),
    table(
      ["result", "verdict", "ratio", "target", "ours", "reference", "reference value"],
      results.map((r) => {
        const v = verdict(r);
        const { quick } = targetOf(r);
        return [
          h("span", {}, r.name, quick ? h("span", { class: "tag quick" }, "quick") : null),
          h(
            "span",
            { class: v === null ? "verdict" : v ? "verdict pass" : "verdict fail" },
            v === null
              ? r.ratio === null
                ? "no target"
                : `no target (${r.ratio >= 1 ? "ahead of" : "behind"} the reference)`
              : v
                ? "meets target"
                : "misses target",
          ),
          times(r.ratio),
          targetText(r),
          measured(r.value, r.unit),
          r.reference?.name ?? "–",
          r.reference ? measured(r.reference.value, r.unit) : "–",
        ];
      }),
      { align: ["l", "l", "r", "r", "r", "l", "r"] },
    ),
  );
}

/** Renders every benchmark document. */
export function renderBenchView(index: BenchIndex, o: BenchViewOptions): HTMLElement {
  return h(
    "article",
    { class: "view bench-view" },
    h(
      "header",
      { class: "view-head" },
      h("p", { class: "crumbs" }, link("#/", "All runs"), " / benchmarks"),
      h("h1", {}, "Benchmarks against their references"),
      h(
        "p",
        { class: "meta" },
        `${index.documents.length} document${index.documents.length === 1 ? "" : "s"} in `,
        h("code", {}, index.source),
        ". Ratios are ours over the reference measured in the same run, oriented so that above ×1 we are better; absolute figures depend on the machine.",
      ),
    ),
    ...(index.documents.length === 0
      ? [
          h(
            "p",
            { class: "empty" },
            "No benchmark results yet: save one with ",
            h("code", {}, "npm run bench:des -s -- --json > bench/results/des.json"),
            " (",
            h("code", {}, "-s"),
            " keeps npm's own banner out of the file, which must hold only the JSON document), or set MYNA_BENCH_DIR.",
          ),
        ]
      : index.documents.map((d, k) => documentSection(d, k, o.width))),
  );
}
