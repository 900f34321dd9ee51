/**
 * The verification pool's worker (piscina): checks a batch of authentication answers
 * (verify-batch.ts) against the J-LIS authentication root given in `workerData.rootDer`
 * (auth-check.ts). The root's key is imported once per thread.
 * @module
 */
import { workerData } from "node:worker_threads";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import type { VerifyBatch, VerifyBatchResult } from "./verify-batch.js";
import { runBatch } from "./verify-batch.js";

const anchor = trustAnchorOf((workerData as { rootDer: Uint8Array }).rootDer);

export default function verifyBatch(batch: VerifyBatch): VerifyBatchResult {
  return runBatch(batch, (certificate, challenge, signature, at) =>
    checkAuthAnswer(anchor, certificate, challenge, signature, at),
  );
}
