/**
 * Seeded random streams and distributions (DESIGN.md §4, "Randomness"): one generator
 * (xoshiro128**), independent named streams per model component and replication, and exact
 * O(1) samplers for the distributions the twin uses. No `Math.random()`, no wall clock.
 * @module
 */
export { AliasTable } from "./alias-table.js";
export { binomial } from "./binomial.js";
export { ContinuousEmpirical } from "./continuous-empirical.js";
export { RandomError } from "./errors.js";
export { gamma } from "./gamma.js";
export { lognormalParams, type LognormalParams } from "./lognormal.js";
export { multinomial } from "./multinomial.js";
export { MAX_POISSON_MEAN, poisson } from "./poisson.js";
export { Random, type RandomState } from "./random.js";
export { RandomStreams, STREAM_DERIVATION } from "./random-streams.js";
