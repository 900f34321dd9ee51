/**
 * The crypto pool's worker module: {@link handleCryptoTask} behind engine/pool's msgpackr codec.
 * Loaded by piscina (pool.ts); from TypeScript sources it is loaded through tsx. At its start the
 * thread picks its RSA verification back-end (native-rsa.ts) from the pool's `workerData`
 * (`{ rsaVerify: RsaVerifyChoice }`, default `auto`) and hands it to every task. Verify tasks may
 * also come without the codec, as plain objects over one transferred buffer (`verifyTask`).
 * @module
 */
import { workerData } from "piscina";
import { poolWorker } from "../../engine/pool/task-pool.js";
import { CryptoTaskError } from "./errors.js";
import type { RsaVerifyChoice } from "./native-rsa.js";
import { rsaDigestVerifier } from "./native-rsa.js";
import type { CryptoResult, CryptoTask, VerifyResult, VerifyTask } from "./tasks.js";
import { cryptoTaskHandler } from "./tasks.js";

const choice = (workerData as { rsaVerify?: RsaVerifyChoice } | undefined)?.rsaVerify ?? "auto";
const handle = cryptoTaskHandler({ rsa: rsaDigestVerifier({ choice }) });

export default poolWorker<CryptoTask, CryptoResult>(handle);

/** What {@link verifyTask} answers: the result, or the message of the task's typed error. */
export type VerifyTaskAnswer = VerifyResult | { readonly error: string };

/**
 * A verify task posted as is, its byte lists in one transferred buffer (pool.ts `runVerify`). A
 * malformed task's {@link CryptoTaskError} comes back as `{ error }` (an error crossing threads loses
 * its class), and the pool throws it again as a CryptoTaskError.
 */
export function verifyTask(task: VerifyTask): VerifyTaskAnswer {
  try {
    if ((task as { op?: unknown } | null)?.op !== "verify")
      throw new CryptoTaskError("verifyTask: not a verify task");
    return handle(task) as VerifyResult;
  } catch (e) {
    if (e instanceof CryptoTaskError) return { error: e.message };
    throw e;
  }
}
