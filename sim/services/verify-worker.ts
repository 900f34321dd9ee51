/**
 * The verification pool's worker (piscina): checks one authentication answer against the J-LIS
 * authentication root given in `workerData.rootDer` (auth-check.ts). The root's key is imported once
 * per thread.
 * @module
 */
import { workerData } from "node:worker_threads";
import type { CheckResult } from "./auth-check.js";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";

/** One job of the pool. */
export interface VerifyJob {
  readonly certificate: Uint8Array;
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
  readonly at: number;
}

const anchor = trustAnchorOf((workerData as { rootDer: Uint8Array }).rootDer);

export default function verifyJob(job: VerifyJob): CheckResult {
  return checkAuthAnswer(anchor, job.certificate, job.challenge, job.signature, job.at);
}
