/**
 * The twin's latency prediction for a live service under open-loop load (issue 10 item 6), using
 * the same queueing code as the verification path ({@link simulatePath}, one pool, no network hops):
 * Poisson arrivals at `arrivalRatePerS` for `durationS` seconds into `workers` FIFO servers whose
 * service times are resampled from `serviceTimeSamplesMs` (the live service's measured per-request
 * times). Returns latency (queue + service) percentiles and the servers' utilisation.
 *
 * A one-station model: right for a pool of identical servers fed with whole-request times. The live
 * service (`myna-twin serve`) is not that — HTTP and JSON on one main thread, RSA on a worker pool,
 * a hop between — and `bench:load` checks it with `predictServiceTwin` (service-twin.ts), the
 * three-stage network with times measured per stage. Use:
 * @example
 * const { p50Ms, p99Ms, utilisation } = predictServiceLatency({
 *   arrivalRatePerS: 2000, workers: 2, serviceTimeSamplesMs: measured, durationS: 60, seed: 1,
 * });
 * @module
 */
import { InputError } from "../../engine/errors.js";
import { simulatePath } from "./network.js";

export interface PredictInput {
  /** Offered load, requests per second (> 0). */
  arrivalRatePerS: number;
  /** Parallel workers (≥ 1). */
  workers: number;
  /** Measured per-request service times, ms (at least one, all ≥ 0). */
  serviceTimeSamplesMs: readonly number[];
  /** Simulated seconds (> 0; longer → tighter p99). */
  durationS: number;
  seed: number;
}

export interface Prediction {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Busy share of the workers over the run. */
  utilisation: number;
  /** Requests simulated. */
  requests: number;
}

/** Predicts p50/p99 latency of a `workers`-server FIFO service at an offered load. */
export function predictServiceLatency(i: PredictInput): Prediction {
  if (!(i.arrivalRatePerS > 0 && Number.isFinite(i.arrivalRatePerS)))
    throw new InputError(
      `predictServiceLatency: arrivalRatePerS must be a number > 0, got ${i.arrivalRatePerS}`,
    );
  if (!Number.isSafeInteger(i.workers) || i.workers < 1)
    throw new InputError(`predictServiceLatency: workers must be an integer ≥ 1, got ${i.workers}`);
  if (!(i.durationS > 0 && Number.isFinite(i.durationS)))
    throw new InputError(`predictServiceLatency: durationS must be a number > 0, got ${i.durationS}`);
  const samples = i.serviceTimeSamplesMs;
  if (samples.length === 0 || samples.some((v) => !(v >= 0 && Number.isFinite(v))))
    throw new InputError("predictServiceLatency: serviceTimeSamplesMs must hold at least one number ≥ 0");
  const durationMs = i.durationS * 1000;
  const r = simulatePath({
    expectedPerHour: [i.arrivalRatePerS * i.durationS],
    slotMs: durationMs,
    seed: i.seed,
    config: {
      rpToPlatform: { meanMs: 0, sdMs: 0 },
      platformToJlis: { meanMs: 0, sdMs: 0 },
      platform: { servers: i.workers, timeoutMs: Number.POSITIVE_INFINITY, maxRetries: 0, backoffMs: 0 },
      jlis: { servers: 1, timeoutMs: Number.POSITIVE_INFINITY, maxRetries: 0, backoffMs: 0 },
      onlineShare: 0,
      platformService: (u) => samples[Math.min(samples.length - 1, Math.floor(u * samples.length))]!,
      localCheckService: () => 0,
      jlisService: () => 0,
    },
  });
  const h = r.latencyUs;
  const ms = (q: number): number => h.valueAtPercentile(q) / 1000;
  return {
    p50Ms: ms(50),
    p90Ms: ms(90),
    p99Ms: ms(99),
    utilisation: r.platformUtilisation,
    requests: r.arrivals,
  };
}
