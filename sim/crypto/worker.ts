/**
 * The crypto pool's worker module: {@link handleCryptoTask} behind engine/pool's msgpackr codec.
 * Loaded by piscina (pool.ts); from TypeScript sources it is loaded through tsx. At its start the
 * thread picks its RSA verification back-end (native-rsa.ts) from the pool's `workerData`
 * (`{ rsaVerify: RsaVerifyChoice }`, default `auto`) and hands it to every task.
 * @module
 */
import { workerData } from "piscina";
import { poolWorker } from "../../engine/pool/task-pool.js";
import type { RsaVerifyChoice } from "./native-rsa.js";
import { rsaDigestVerifier } from "./native-rsa.js";
import type { CryptoResult, CryptoTask } from "./tasks.js";
import { cryptoTaskHandler } from "./tasks.js";

const choice = (workerData as { rsaVerify?: RsaVerifyChoice } | undefined)?.rsaVerify ?? "auto";

export default poolWorker<CryptoTask, CryptoResult>(
  cryptoTaskHandler({ rsa: rsaDigestVerifier({ choice }) }),
);
