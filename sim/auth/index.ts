/**
 * sim/auth — the authentication twin (issue 10 items 1–3, 6, 7; DESIGN.md §5): the load that cards
 * in circulation create (FACTS §5), PIN lockouts and counter visits (FACTS §1.5), the verification
 * path as a queueing network on engine/des with service times measured with real crypto, the
 * hourly fluid model, the live-service latency predictor and the scenario-run entry point.
 * Public surface of the module.
 * @module
 */
export {
  AUTH_CLASSES,
  CHANNELS,
  channelShares,
  dailyVolumes,
  hourlyVolumes,
  officialCards,
  perCardDaily,
  pinReaderAuthentications,
} from "./load-model.js";
export type { AuthClass, Channel, LoadOptions } from "./load-model.js";
export { AUTH_PIN_TRIES, lockoutFlow, lockoutProbability } from "./lockouts.js";
export { HOUR_MS, simulatePath } from "./network.js";
export type { PathConfig, PathInput, PathResult, ServiceSampler } from "./network.js";
export { Station } from "./station.js";
export { baseSample, erlangC, fluidHours } from "./fluid.js";
export type { FluidHour } from "./fluid.js";
export { measureServiceTimes, quantileTable, resolveServiceTimes, sampleQuantile } from "./service-times.js";
export type { MeasuredServiceTimes } from "./service-times.js";
export { predictServiceLatency } from "./predictor.js";
export type { PredictInput, Prediction } from "./predictor.js";
export { predictServiceTwin } from "./service-twin.js";
export type { ServiceTwinInput, ServiceTwinPrediction } from "./service-twin.js";
export { authFromIssuance, pathConfig, runAuthModel } from "./run-auth.js";
export type { AuthRunInput, AuthRunOutput, IssuanceCards } from "./run-auth.js";
export { authReportSection } from "./report.js";
export { AUTH_DEFAULTS } from "./params.js";
export type {
  AuthParams,
  AuthNetworkParams,
  LockoutParams,
  PinnedServiceTimes,
  PoolParams,
} from "./params.js";
