/**
 * The human-readable part of an issuance run's output: `report.md` and a self-contained
 * `report.html`. Both are rendered from one list of blocks, so they say the same things in the same
 * order: the headline answer (was the target reached, when, what held the rollout back, how long
 * residents waited), what +10 % of each lever would buy, the charts (HTML) or a compact table
 * (Markdown), the fidelity against the official series, every assumption with its source, and how
 * to reproduce the run.
 *
 * Pure functions of their input: no clock, no randomness, no locale. Wall time and machine belong
 * in manifest.json, not here, so the same run gives byte-identical reports.
 * @module
 */
import { CHART_CSS } from "../../../engine/charts/index.js";
import { cryptoSection, reproduceSection } from "./appendix.js";
import { assumptionsSection } from "./assumptions.js";
import { bindingSection } from "./binding.js";
import { counterfactualsSection } from "./counterfactuals.js";
import { costsSection } from "./costs.js";
import { pinResetsSection } from "./pin-resets.js";
import { parametersSection } from "./parameters.js";
import { mdBlocks, type Block } from "./blocks.js";
import { cumulativeSection, leadTimeSection, pipelineSection } from "./charts.js";
import { fidelitySection } from "./fidelity.js";
import { calibrationSection } from "./calibration.js";
import { revocationReportSection } from "../../revocation/report.js";
import { authReportSection } from "../../auth/report.js";
import { frame } from "./frame.js";
import { headline } from "./headline.js";
import { h, htmlBlocks, PAGE_CSS } from "./html.js";
import type { ReportInput } from "./input.js";
import { networkReportSection } from "../../network/report.js";

export type { ReportInput } from "./input.js";

function buildBlocks(input: ReportInput): { title: string; blocks: Block[] } {
  const f = frame(input);
  const title = `Card issuance: ${input.params.name}`;
  const blocks: Block[] = [
    { kind: "h", level: 1, text: title },
    { kind: "p", className: "description", content: [input.params.description] },
    ...headline(input, f),
    ...bindingSection(input),
    ...counterfactualsSection(input),
    ...costsSection(input),
    ...cumulativeSection(input, f),
    ...leadTimeSection(input, f),
    ...pipelineSection(input, f),
    ...revocationReportSection(input.revocation),
    ...authReportSection(input.summary.auth),
    ...pinResetsSection(input),
    ...fidelitySection(input),
    ...networkReportSection(input.summary.network),
    ...calibrationSection(input),
    ...assumptionsSection(input),
    ...parametersSection(input),
    ...cryptoSection(input),
    ...reproduceSection(input),
  ];
  return { title, blocks };
}

/**
 * report.md: GitHub-flavoured Markdown with tables; the charts are in report.html, and the cumulative
 * series is given as a compact table instead. Deterministic.
 */
export function reportMarkdown(input: ReportInput): string {
  const { blocks } = buildBlocks(input);
  return `${mdBlocks(blocks).join("\n\n")}\n`;
}

/**
 * report.html: one self-contained page (inline CSS, inline SVG charts, no scripts, fonts or links),
 * readable on a laptop and on a phone. All text is HTML-escaped. Deterministic.
 */
export function reportHtml(input: ReportInput): string {
  const { title, blocks } = buildBlocks(input);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>\n${PAGE_CSS}\n${CHART_CSS}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...htmlBlocks(blocks),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
