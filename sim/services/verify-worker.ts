/**
 * The verification pool's worker (piscina): checks a batch of authentication answers
 * (verify-batch.ts) against the J-LIS authentication root given in `workerData.rootDer`
 * (auth-check.ts). The root's key is imported once per thread. Its named export `ed25519Batch` runs
 * the provision hub's Ed25519 jobs (ed25519-batch.ts), each key imported once per thread.
 * @module
 */
import { workerData } from "node:worker_threads";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import type { Ed25519Batch, Ed25519BatchResult } from "./ed25519-batch.js";
import { Ed25519Keys, runEd25519Batch } from "./ed25519-batch.js";
import type { VerifyBatch, VerifyBatchResult } from "./verify-batch.js";
import { runBatch } from "./verify-batch.js";

const anchor = trustAnchorOf((workerData as { rootDer: Uint8Array }).rootDer);

export default function verifyBatch(batch: VerifyBatch): VerifyBatchResult {
  return runBatch(batch, (certificate, challenge, signature, at) =>
    checkAuthAnswer(anchor, certificate, challenge, signature, at),
  );
}

const ed25519Keys = new Ed25519Keys();

/** A batch of Ed25519 jobs (verify-pool.ts `ed25519`). */
export function ed25519Batch(batch: Ed25519Batch): Ed25519BatchResult {
  return runEd25519Batch(batch, ed25519Keys);
}
