/**
 * One replication as a self-contained task (DESIGN.md §10: serialisable in, serialisable out): the
 * scenario, the seed, the replication index and where the data lives. The demand stream is
 * `RandomStreams(seed).stream("issuance.demand", replication)`, so a replication's numbers do not
 * depend on the thread that runs it or on how many threads there are.
 * @module
 */
import { RandomStreams } from "../../engine/random/index.js";
import { runIssuance, type IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { loadPopulation, type Population } from "./population.js";
import { municipalPropensity, type MunicipalPropensity } from "./uptake.js";

export interface ReplicationTask {
  params: IssuanceParams;
  seed: number;
  replication: number;
  dataDir: string;
  snapshotDays: number[];
  /** Keep the run's demand draws (model.ts `recordDemandDraws`). */
  recordDemandDraws?: boolean;
  /** Demand draws of a run with the same `demandKey`, seed, replication and data, to replay. */
  demandDraws?: Uint32Array;
}

/** Progress message a replication sends: the day just simulated and kernel events so far. */
export interface ReplicationProgress {
  day: number;
  events: number;
}

/** The worker module that runs {@link runReplication} on the pool. */
export const REPLICATION_WORKER = new URL("./replication-worker.js", import.meta.url);

const populations = new Map<string, Population>();

/** The population of `dataDir`, read once per thread. */
export function populationOf(dataDir: string): Population {
  let p = populations.get(dataDir);
  if (!p) populations.set(dataDir, (p = loadPopulation(dataDir)));
  return p;
}

const propensities = new Map<string, MunicipalPropensity>();

/**
 * The scenario's municipal propensities (sim/issuance/uptake.ts), fitted once per thread per data
 * folder, fit date and shrinkage; null when the scenario keeps demand proportional to population.
 */
export function propensityOf(params: IssuanceParams, dataDir: string): MunicipalPropensity | null {
  const mp = params.demand.municipalPropensity;
  if (!mp) return null;
  const key = JSON.stringify([dataDir, mp.fitDate, mp.shrinkage]);
  let p = propensities.get(key);
  if (!p) propensities.set(key, (p = municipalPropensity(dataDir, populationOf(dataDir).municipalities, mp)));
  return p;
}

/** Runs one replication (the pool's task handler). */
export function runReplication(
  task: ReplicationTask,
  progress: (m: ReplicationProgress) => void = () => {},
): IssuanceRunResult {
  const random = new RandomStreams(task.seed).stream("issuance.demand", task.replication);
  return runIssuance(task.params, populationOf(task.dataDir), random, {
    snapshotDays: task.snapshotDays,
    propensity: propensityOf(task.params, task.dataDir)?.relative,
    onProgress: (day, events) => progress({ day, events }),
    recordDemandDraws: task.recordDemandDraws,
    demandDraws: task.demandDraws,
  });
}
