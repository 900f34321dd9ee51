// @vitest-environment jsdom
/**
 * The bench view's latency-versus-throughput chart (issue 10 item 5): the saved bench:load document
 * (bench/results/load.json) keeps its curve through the same scan and schema the dashboard server
 * uses, and the view draws p99 corrected and raw against the achieved rate of the verify steps, with
 * the knee marked; void, overload and recovery steps stay off the curve; documents without a curve
 * get no such chart.
 * @module
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchDocument, LoadCurvePoint } from "../../sim/run-format/bench.js";
import { scanBench } from "../server/scan-bench.js";
import { renderBenchView, verifyCurve } from "../src/views/bench-view.js";

const RESULTS = join(import.meta.dirname, "..", "..", "bench", "results");

const latency = (p99: number) => ({
  count: 100,
  p50: p99 / 4,
  p90: p99 / 2,
  p99,
  p999: p99,
  max: p99,
  mean: p99 / 3,
});

function step(
  phase: string,
  offeredRate: number,
  achievedRate: number,
  p99: number,
  extra: Partial<LoadCurvePoint> = {},
): LoadCurvePoint {
  return {
    target: "verify",
    phase,
    offeredRate,
    achievedRate,
    void: false,
    corrected: latency(p99),
    raw: latency(p99 * 0.9),
    ...extra,
  };
}

function doc(curve: LoadCurvePoint[] | undefined, knee: number | null): BenchDocument {
  return {
    machine: { cpuModel: "test", cores: 2, memoryGiB: 8, os: "linux", arch: "x64", loadAverage: 1 },
    versions: { node: "20", v8: "11", openssl: "3", project: "0.1.0", packages: {}, gitCommit: null },
    results:
      knee === null
        ? []
        : [
            {
              name: "load.verify.knee",
              unit: "verifications/s",
              value: knee,
              higherIsBetter: true,
              reference: null,
              ratio: null,
              target: null,
              quick: false,
            },
          ],
    ...(curve ? { curve } : {}),
  };
}

describe("bench view: latency against throughput", () => {
  it("keeps the saved bench:load curve and draws its verify steps, p99 corrected and raw, knee marked", () => {
    const index = scanBench(RESULTS, "bench/results");
    const k = index.documents.findIndex((d) => d.file === "load.json");
    expect(k).toBeGreaterThanOrEqual(0);
    const entry = index.documents[k]!;
    expect(entry.status).toBe("ok");
    const curve = entry.document!.curve;
    expect(curve, "the schema keeps bench:load's curve").toBeDefined();
    const expected = curve!.filter(
      (p) =>
        p.target === "verify" &&
        (p.phase === "search" || p.phase === "twin" || p.phase === "repeat") &&
        !p.void,
    );
    expect(expected.length).toBeGreaterThan(3);
    const knee = entry.document!.results.find((r) => r.name === "load.verify.knee")!.value;

    const view = renderBenchView(index, { width: 960 });
    const svg = view.querySelector<SVGSVGElement>(`svg#chart-bench-curve-${k}`);
    expect(svg).not.toBeNull();
    expect(svg!.querySelectorAll("path.mt-line")).toHaveLength(2);
    expect(svg!.querySelectorAll("circle")).toHaveLength(2 * expected.length);
    expect(svg!.textContent).toContain("p99, corrected (from the intended send time)");
    expect(svg!.textContent).toContain("p99, raw (from the actual send)");
    expect(svg!.textContent).toContain(`knee ${Math.round(knee).toLocaleString("en-US")}/s`);
    expect(svg!.textContent).toContain("achieved rate (verifications/s)");
    const caption = view.querySelector(`figure[data-chart=bench-curve-${k}] figcaption`)!.textContent!;
    expect(caption).toContain(`${expected.length} verify steps`);
    // only load.json has a curve
    expect(view.querySelectorAll("svg[id^=chart-bench-curve-]")).toHaveLength(1);
  });

  it("orders steps by achieved rate and leaves void, overload and recovery steps and other targets off", () => {
    const curve = [
      step("search", 400, 400, 9),
      step("search", 100, 100, 4),
      step("search", 800, 780, 60, { void: true, voidReason: "generator behind" } as Partial<LoadCurvePoint>),
      step("twin", 200, 200, 5),
      step("repeat", 300, 300, 6),
      step("overload", 4000, 390, 1800),
      step("recovery", 200, 200, 7),
      { ...step("search", 100, 100, 1), target: "bare" },
    ];
    const c = verifyCurve(curve, doc(curve, 400).results)!;
    expect(c.points.map((p) => p.achievedRate)).toEqual([100, 200, 300, 400]);
    expect(c.voidSteps).toBe(1);
    expect(c.knee).toBe(400);

    const view = renderBenchView(
      {
        source: "t",
        documents: [{ file: "load.json", status: "ok", problem: null, document: doc(curve, 400) }],
      },
      { width: 800 },
    );
    const svg = view.querySelector("svg#chart-bench-curve-0")!;
    const tips = Array.from(svg.querySelectorAll("circle title")).map((t) => t.textContent);
    expect(tips).toEqual([
      "p99, corrected (from the intended send time): 100 → 4",
      "p99, corrected (from the intended send time): 200 → 5",
      "p99, corrected (from the intended send time): 300 → 6",
      "p99, corrected (from the intended send time): 400 → 9",
      "p99, raw (from the actual send): 100 → 3.6",
      "p99, raw (from the actual send): 200 → 4.5",
      "p99, raw (from the actual send): 300 → 5.4",
      "p99, raw (from the actual send): 400 → 8.1",
    ]);
    expect(svg.textContent).toContain("knee 400/s");
    expect(view.querySelector("figure[data-chart=bench-curve-0] figcaption")!.textContent).toContain(
      "1 void step (the generator fell behind its schedule) left out",
    );
  });

  it("draws no curve for a document without one, and no knee rule when the knee is missing", () => {
    const none = renderBenchView(
      {
        source: "t",
        documents: [{ file: "crl.json", status: "ok", problem: null, document: doc(undefined, null) }],
      },
      { width: 800 },
    );
    expect(none.querySelector("svg[id^=chart-bench-curve-]")).toBeNull();
    const curve = [step("search", 100, 100, 4), step("search", 200, 200, 6)];
    const noKnee = renderBenchView(
      {
        source: "t",
        documents: [{ file: "load.json", status: "ok", problem: null, document: doc(curve, null) }],
      },
      { width: 800 },
    );
    const svg = noKnee.querySelector("svg#chart-bench-curve-0")!;
    expect(svg.textContent).not.toContain("knee");
    expect(noKnee.querySelector("figure[data-chart=bench-curve-0] figcaption")!.textContent).toContain(
      "the document gives no knee",
    );
  });
});
