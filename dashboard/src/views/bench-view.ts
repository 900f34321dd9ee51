/**
 * The bench view: every benchmark result beside its reference measured in the same run, as a ratio
 * oriented so that above 1 means we are better (DESIGN.md §8) — a bar chart of the ratios with the
 * parity line at ×1, and a table with the raw figures, machine and versions of each document.
 * @module
 */

import { barChart } from "../../../engine/charts/index.js";
import type { BenchEntry, BenchIndex } from "../data/run-types.js";
import { chartBox, h, link, problemBox, table } from "./dom.js";
import { measured, times } from "./format.js";

/** Options of the bench view. */
export interface BenchViewOptions {
  width: number;
}

const str = (v: unknown): string | null =>
  typeof v === "string" || typeof v === "number" ? String(v) : null;

function machineLine(e: BenchEntry): string {
  const m = e.document?.machine ?? {};
  const v = e.document?.versions ?? {};
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
  const withRatio = results.filter((r) => r.ratio !== null);
  const chart =
    withRatio.length > 0
      ? chartBox(
          barChart(
            // green: we are better (ratio ≥ 1); red: the reference is better
            withRatio.map((r) => ({
              label: r.name,
              value: r.ratio,
              color: (r.ratio ?? 0) >= 1 ? "#59a14f" : "#e15759",
            })),
            {
              id: `chart-bench-${k}`,
              title: `${e.file}: ours over the reference (green above ×1: we are better)`,
              xLabel: "ratio to the reference (×)",
              format: (v) => `×${Number(v.toFixed(2))}`,
              tooltipFormat: (v) => `×${v.toFixed(3)}`,
              valueName: "ratio",
              rules: [{ value: 1, label: "parity ×1" }],
              width,
            },
          ),
          `bench-${k}`,
        )
      : h("p", {}, "No result in this document has a reference.");
  return h(
    "section",
    { class: "section" },
    head,
    h("p", { class: "meta" }, machineLine(e)),
    chart,
    table(
      ["result", "ours", "reference", "reference value", "ratio", ""],
      results.map((r) => [
        r.name,
        measured(r.value, r.unit),
        r.reference?.name ?? "–",
        r.reference ? measured(r.reference.value, r.unit) : "–",
        times(r.ratio),
        r.ratio === null ? "" : r.ratio >= 1 ? "we are better" : "reference is better",
      ]),
      { align: ["l", "r", "l", "r", "r", "l"] },
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
            "No benchmark results yet: save ",
            h("code", {}, "npm run bench:des -- --json > bench/results/des.json"),
            " (or set MYNA_BENCH_DIR).",
          ),
        ]
      : index.documents.map((d, k) => documentSection(d, k, o.width))),
  );
}
