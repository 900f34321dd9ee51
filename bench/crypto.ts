/**
 * Entry point of the crypto benchmarks (DESIGN.md §6, §8), each reference doing the same work in
 * the same run:
 *
 * - bench/crypto-single.ts — node:crypto against node-forge and @noble/curves, one operation at a time;
 * - bench/crypto-batch.ts — batched RSA-2048 in the main thread and on the worker pool against
 *   `openssl speed`;
 * - bench/crypto-protocol.ts — certificate issuance and full card authentication (plain figures).
 *
 * Keys come from the simulation key cache (.cache/keys). Usage:
 * `npm run -s bench:crypto -- [--json] [--quick]` (builds, then runs `node dist/bench/crypto.js`).
 * @module
 */
import type { Measurement } from "./_shared.js";
import { isMain, runBenchmark } from "./_shared.js";
import { batchMeasurement } from "./crypto-batch.js";
import { authMeasurement, issueMeasurement } from "./crypto-protocol.js";
import { singleThreadMeasurement } from "./crypto-single.js";

/** Every crypto measurement, in run order. */
export const cryptoMeasurements: readonly Measurement[] = [
  singleThreadMeasurement,
  batchMeasurement,
  issueMeasurement,
  authMeasurement,
];

if (isMain(import.meta.url)) await runBenchmark(cryptoMeasurements);
