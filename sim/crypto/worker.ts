/**
 * The crypto pool's worker module: {@link handleCryptoTask} behind engine/pool's msgpackr codec.
 * Loaded by piscina (pool.ts); from TypeScript sources it is loaded through tsx.
 * @module
 */
import { poolWorker } from "../../engine/pool/task-pool.js";
import type { CryptoResult, CryptoTask } from "./tasks.js";
import { handleCryptoTask } from "./tasks.js";

export default poolWorker<CryptoTask, CryptoResult>(handleCryptoTask);
