/**
 * Public API of the CRLite/Clubcard-style revocation filter (issue 11 item 2e): build a full filter
 * or a daily delta over the universe of issued certificates, parse a filter file strictly, query it
 * or a chain of full + deltas, and serve it (bytes + ETag).
 * @module
 */
export { FilterError } from "./errors.js";
export type { FilterErrorCode } from "./errors.js";
export { FILTER_VERSION, MAX_FILTER_BYTES, etagOf } from "./format.js";
export type { FilterHeader, FilterKind } from "./format.js";
export { FilterChain, RevocationFilter } from "./filter.js";
export type { FilterLookup } from "./filter.js";
export { boundBits, buildDeltaFilter, buildFilter, optimalFingerprintBits, universeOf } from "./builder.js";
export type { BuildFilterOptions, BuiltFilter, FilterStats, FilterUniverse } from "./builder.js";
export { certificateKey } from "./hash.js";
export { estimateFilterBytes, revocationFilterSizer } from "./sizer.js";
export { fuzzFilterBytes, mutateFilter } from "./fuzz.js";
export type { FilterFuzzCounts } from "./fuzz.js";
