/**
 * The network model's entry point for a scenario run (the plug-in pattern of /work/tmp/s3/commonsub.md,
 * like sim/auth/run-auth.ts): given the scenario's `network:` parameters, runs the model and returns
 * the summary.json section with every parameter's label (network-labels.ts), checked against its schema in sim/run-format/network.ts. Absent block:
 * null, and the run has no network section.
 * @module
 */
import { NetworkSummarySchema, type NetworkSummary } from "../run-format/network.js";
import { runNetworkModel } from "./model.js";
import { networkParameterTable } from "./network-labels.js";
import type { NetworkParams } from "./params.js";

/** What a run gets from the network model. */
export interface NetworkRunOutput {
  readonly summary: NetworkSummary;
}

/** Runs the network model when `params.network` is set. */
export function networkFromScenario(
  params: { network?: NetworkParams },
  seed: number,
): NetworkRunOutput | null {
  if (!params.network) return null;
  const p = params.network;
  const result = runNetworkModel(p, seed);
  const { rows } = networkParameterTable(p);
  const cost = rows.find((r) => r.path === "network.annualCostYen");
  const annualCostRangeYen = cost?.range ?? [p.annualCostYen, p.annualCostYen];
  return { summary: NetworkSummarySchema.parse({ ...result, annualCostRangeYen, parameters: rows }) };
}
