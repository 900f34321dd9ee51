/**
 * A task's data directory as one content-addressed bundle, so a worker on another host needs the
 * code but not the coordinator's files (issue 13 item 2): the coordinator packs the directory's
 * files (flat: regular files only, at most {@link MAX_DATA_BUNDLE_BYTES}) into msgpackr bytes,
 * stores them in Redis under their SHA-256, and the worker unpacks them once into a local cache
 * directory named by the hash (written to a temporary name, then renamed: never half there).
 * @module
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { decode, encode } from "../pool/task-pool.js";

/** The largest data directory that may travel to workers. */
export const MAX_DATA_BUNDLE_BYTES = 64 * 2 ** 20;

export interface DataBundle {
  hash: string;
  bytes: Uint8Array;
}

/**
 * Packs the regular files of `dir` (sorted by name).
 * @throws InputError when the directory has a subdirectory or is larger than the limit
 */
export function packDataDir(dir: string): DataBundle {
  const names = readdirSync(dir).sort();
  const files: [string, Uint8Array][] = [];
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory())
      throw new InputError(
        `queue: data directory ${dir} holds a subdirectory (${name}); only flat data directories travel to workers`,
        "E_QUEUE_DATA",
      );
    if (!st.isFile()) continue;
    total += st.size;
    if (total > MAX_DATA_BUNDLE_BYTES)
      throw new InputError(
        `queue: data directory ${dir} is larger than ${MAX_DATA_BUNDLE_BYTES / 2 ** 20} MiB, the limit for sending it to workers`,
        "E_QUEUE_DATA",
      );
    files.push([name, readFileSync(path)]);
  }
  const bytes = encode(files);
  return { hash: createHash("sha256").update(bytes).digest("hex"), bytes };
}

/**
 * The directory under `cacheRoot` holding bundle `hash`, unpacked from `bytes` unless already there.
 * @throws InputError when the bytes do not hash to `hash` or are not a bundle
 */
export function unpackDataBundle(cacheRoot: string, hash: string, bytes: Uint8Array): string {
  if (!/^[0-9a-f]{64}$/.test(hash))
    throw new InputError(`queue: data bundle id ${JSON.stringify(hash)} is not a SHA-256`, "E_QUEUE_DATA");
  const dir = join(cacheRoot, hash);
  if (existsSync(dir)) return dir;
  if (createHash("sha256").update(bytes).digest("hex") !== hash)
    throw new InputError(
      `queue: data bundle ${hash.slice(0, 12)} in Redis does not match its hash`,
      "E_QUEUE_DATA",
    );
  let files: unknown;
  try {
    files = decode<unknown>(bytes);
  } catch {
    files = null;
  }
  if (!Array.isArray(files))
    throw new InputError(`queue: data bundle ${hash.slice(0, 12)} in Redis is not a bundle`, "E_QUEUE_DATA");
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = join(cacheRoot, `.${hash}.${process.pid}.${Date.now()}`);
  mkdirSync(tmp);
  try {
    for (const f of files as unknown[]) {
      const [name, content] = f as [unknown, unknown];
      if (
        typeof name !== "string" ||
        !/^[^/\\]+$/.test(name) ||
        name === "." ||
        name === ".." ||
        !(content instanceof Uint8Array)
      )
        throw new InputError(`queue: data bundle ${hash.slice(0, 12)} holds a bad entry`, "E_QUEUE_DATA");
      writeFileSync(join(tmp, name), content);
    }
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(dir)) throw e; // another worker on this host unpacked it first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
