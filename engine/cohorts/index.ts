/** Exact cohort containers for batch flows (DESIGN.md §4). @module */
export { apportion } from "./apportion.js";
export { CohortLists } from "./cohort-lists.js";
export { VectorFifo, type VectorCohort } from "./vector-fifo.js";
