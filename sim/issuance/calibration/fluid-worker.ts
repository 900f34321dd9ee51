/**
 * Worker-thread entry of the optimiser's runs ({@link runFluid}), for engine/pool/task-pool.ts.
 * @module
 */
import { poolWorker } from "../../../engine/pool/task-pool.js";
import { runFluid } from "./fluid-run.js";

export default poolWorker(runFluid);
