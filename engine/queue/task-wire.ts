/**
 * The task boundary on the queue (issue 13 item 1): a task — the same object the local pool gets
 * (scenario, resolved parameters, seed, replication index, …) — travels as its msgpackr bytes
 * (engine/pool/task-pool.ts `encode`, the codec the local pool uses) in a job that also names the
 * task kind, the code version and the content hash of its data directory; the result comes back
 * as the same msgpackr bytes the local pool would return, wrapped with the version that made it.
 *
 * A task's id is the SHA-256 of (version, kind, data hash, payload): the same task of the same code
 * always has the same id, so a restarted coordinator finds the results already made and a task is
 * never queued (or counted) twice. A task's top-level `dataDir` (a path on the coordinator's
 * machine) is blanked in the payload and replaced by the data bundle's hash (data-bundle.ts); the
 * worker puts its own copy's path back.
 * @module
 */
import { createHash } from "node:crypto";
import { decode, encode } from "../pool/task-pool.js";
import { InputError } from "../errors.js";

/** What a queued job holds (BullMQ stores it as JSON). */
export interface JobData {
  /** Code version of the coordinator that queued it (code-version.ts). */
  version: string;
  /** Task kind: which handler runs it (the worker's kind table). */
  kind: string;
  /** SHA-256 of the task's data bundle, or null when the task names no `dataDir`. */
  data: string | null;
  /** The task's msgpackr bytes, base64. */
  payload: string;
}

/** A result or task of another code version. */
export class VersionMismatchError extends InputError {
  constructor(message: string) {
    super(message, "E_QUEUE_VERSION");
  }
}

/** The task's directory of input files, when it has one (a top-level string `dataDir`). */
export function taskDataDir(task: unknown): string | null {
  if (typeof task !== "object" || task === null) return null;
  const d = (task as { dataDir?: unknown }).dataDir;
  return typeof d === "string" && d !== "" ? d : null;
}

/** Encodes `task` for the queue; `dataHash` is its data bundle's hash (null when it has none). */
export function encodeTask(task: unknown, kind: string, version: string, dataHash: string | null): JobData {
  const bare = dataHash !== null ? { ...(task as object), dataDir: "" } : task;
  return { version, kind, data: dataHash, payload: Buffer.from(encode(bare)).toString("base64") };
}

/** The task id: SHA-256 (hex) of version, kind, data hash and payload. */
export function taskId(job: JobData): string {
  return createHash("sha256")
    .update(`${job.version}\0${job.kind}\0${job.data ?? ""}\0`)
    .update(Buffer.from(job.payload, "base64"))
    .digest("hex");
}

/**
 * Decodes a job's task for a worker of `version`, with `dataDir` (the worker's copy of the data
 * bundle) put back.
 * @throws VersionMismatchError when the job comes from another code version
 */
export function decodeTask<T>(job: JobData, version: string, dataDir: string | null): T {
  if (job.version !== version)
    throw new VersionMismatchError(
      `task of code version ${job.version} refused: this worker runs ${version} (run coordinator and workers from the same commit)`,
    );
  const task = decode<T>(Buffer.from(job.payload, "base64"));
  return job.data !== null && dataDir !== null ? ({ ...(task as object), dataDir } as T) : task;
}

/** A worker's result record: the version that made it and the result's msgpackr bytes. */
export function encodeResult(version: string, resultBytes: Uint8Array): Uint8Array {
  return encode({ version, result: resultBytes });
}

/**
 * The result bytes of a result record, checked against the coordinator's `version`.
 * @throws VersionMismatchError when another code version made it; InputError when it is not a record
 */
export function decodeResult(record: Uint8Array, version: string, id: string): Uint8Array {
  let r: { version?: unknown; result?: unknown };
  try {
    r = decode<{ version?: unknown; result?: unknown }>(record);
  } catch {
    throw new InputError(
      `queue: the result of task ${id.slice(0, 12)} in Redis is not a result record`,
      "E_QUEUE_RESULT",
    );
  }
  if (
    typeof r !== "object" ||
    r === null ||
    typeof r.version !== "string" ||
    !(r.result instanceof Uint8Array)
  )
    throw new InputError(
      `queue: the result of task ${id.slice(0, 12)} in Redis is not a result record`,
      "E_QUEUE_RESULT",
    );
  if (r.version !== version)
    throw new VersionMismatchError(
      `queue: the result of task ${id.slice(0, 12)} was made by code version ${r.version}, not ${version}; refused`,
    );
  return r.result;
}
