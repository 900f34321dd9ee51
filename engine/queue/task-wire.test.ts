/**
 * The task boundary on the queue: a task round-trips to the same msgpackr bytes the local pool
 * uses (typed arrays included), its `dataDir` travels as the data bundle's hash and comes back as
 * the worker's path; the task id depends on every part of the task and on the code version; a task
 * or result of another version is refused with a typed error; a record that is not a result is an
 * InputError. Property test: 500 random tasks (seed 29). Data bundles: a directory packs to the
 * same hash every time, unpacks to the same files, and a bundle whose bytes do not match its hash,
 * a subdirectory or an entry naming a path is refused.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../errors.js";
import { decode, encode } from "../pool/task-pool.js";
import { mulberry32, randomInt } from "../random/small-prng.js";
import { packDataDir, unpackDataBundle } from "./data-bundle.js";
import {
  decodeResult,
  decodeTask,
  encodeResult,
  encodeTask,
  taskDataDir,
  taskId,
  VersionMismatchError,
} from "./task-wire.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-task-wire-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function randomTask(rnd: () => number): Record<string, unknown> {
  return {
    params: { name: `s${randomInt(rnd, 1000)}`, factor: rnd() * 10, list: [randomInt(rnd, 9), null, "x"] },
    seed: randomInt(rnd, 2 ** 31),
    replication: randomInt(rnd, 100),
    dataDir: rnd() < 0.5 ? "/coordinator/data" : "",
    snapshotDays: Array.from({ length: randomInt(rnd, 4) }, () => randomInt(rnd, 20_000)),
    ...(rnd() < 0.3
      ? { demandDraws: Uint32Array.from({ length: randomInt(rnd, 64) }, () => randomInt(rnd, 2 ** 32)) }
      : {}),
  };
}

describe("task encoding", () => {
  it("property: 500 random tasks round-trip; ids are stable and differ when anything differs", () => {
    const rnd = mulberry32(29);
    const ids = new Set<string>();
    for (let n = 0; n < 500; n++) {
      const task = randomTask(rnd);
      const hash = taskDataDir(task) === null ? null : "ab".repeat(32);
      const job = encodeTask(task, "replication", "v1", hash);
      const id = taskId(job);
      expect(taskId(encodeTask(task, "replication", "v1", hash))).toBe(id);
      expect(taskId({ ...job, version: "v2" })).not.toBe(id);
      expect(taskId({ ...job, kind: "fluid" })).not.toBe(id);
      const back = decodeTask<Record<string, unknown>>(JSON.parse(JSON.stringify(job)), "v1", "/worker/data");
      const expected = hash === null ? task : { ...task, dataDir: "/worker/data" };
      // The worker's task encodes to the bytes the local pool would send (but for dataDir).
      expect(Buffer.from(encode(back)).equals(Buffer.from(encode(expected)))).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBeGreaterThan(490);
  });

  it("the coordinator's data path is not in the payload; the id does not depend on it", () => {
    const a = encodeTask({ seed: 1, dataDir: "/host-a/data" }, "replication", "v1", "cd".repeat(32));
    const b = encodeTask({ seed: 1, dataDir: "/host-b/elsewhere" }, "replication", "v1", "cd".repeat(32));
    expect(a.payload).toBe(b.payload);
    expect(taskId(a)).toBe(taskId(b));
    expect(Buffer.from(a.payload, "base64").includes("/host-a")).toBe(false);
  });

  it("refuses a task and a result of another version", () => {
    const job = encodeTask({ seed: 1 }, "echo", "myna-twin@0.1.0+aaa", null);
    expect(() => decodeTask(job, "myna-twin@0.1.0+bbb", null)).toThrow(
      new VersionMismatchError(
        "task of code version myna-twin@0.1.0+aaa refused: this worker runs myna-twin@0.1.0+bbb (run coordinator and workers from the same commit)",
      ),
    );
    const record = encodeResult("myna-twin@0.1.0+aaa", encode({ ok: 1 }));
    expect(decode(decodeResult(record, "myna-twin@0.1.0+aaa", "f".repeat(64)))).toEqual({ ok: 1 });
    expect(() => decodeResult(record, "myna-twin@0.1.0+bbb", "f".repeat(64))).toThrow(
      "queue: the result of task ffffffffffff was made by code version myna-twin@0.1.0+aaa, not myna-twin@0.1.0+bbb; refused",
    );
    for (const bad of [encode({ version: 1, result: 2 }), encode("text"), Uint8Array.of(0xc1)]) {
      let e: unknown;
      try {
        decodeResult(bad, "v", "0".repeat(64));
      } catch (x) {
        e = x;
      }
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toBe(
        "queue: the result of task 000000000000 in Redis is not a result record",
      );
    }
  });
});

describe("data bundles", () => {
  it("pack the same directory to the same hash and unpack its files", () => {
    const dir = join(tmp, "data");
    mkdirSync(dir);
    writeFileSync(join(dir, "b.csv"), "x,y\n1,2\n");
    writeFileSync(join(dir, "a.csv"), "片,仮\n");
    const one = packDataDir(dir);
    expect(packDataDir(dir).hash).toBe(one.hash);
    const out = unpackDataBundle(join(tmp, "cache"), one.hash, one.bytes);
    expect(readFileSync(join(out, "a.csv"), "utf8")).toBe("片,仮\n");
    expect(readFileSync(join(out, "b.csv"), "utf8")).toBe("x,y\n1,2\n");
    // Already there: not written again, the same path.
    expect(unpackDataBundle(join(tmp, "cache"), one.hash, new Uint8Array())).toBe(out);
    writeFileSync(join(dir, "b.csv"), "x,y\n1,3\n");
    expect(packDataDir(dir).hash).not.toBe(one.hash);
  });

  it("refuse a subdirectory, bytes that do not match the hash, and entries naming paths", () => {
    const dir = join(tmp, "nested");
    mkdirSync(join(dir, "sub"), { recursive: true });
    expect(() => packDataDir(dir)).toThrow(
      /holds a subdirectory \(sub\); only flat data directories travel to workers$/,
    );
    const bytes = encode([["ok.csv", Buffer.from("1")]]);
    expect(() => unpackDataBundle(join(tmp, "c2"), "0".repeat(64), bytes)).toThrow(
      "queue: data bundle 000000000000 in Redis does not match its hash",
    );
    const evil = encode([["../escape.csv", Buffer.from("1")]]);
    const h = createHash("sha256").update(evil).digest("hex");
    expect(() => unpackDataBundle(join(tmp, "c3"), h, evil)).toThrow(
      `queue: data bundle ${h.slice(0, 12)} holds a bad entry`,
    );
    expect(() => unpackDataBundle(join(tmp, "c3"), "../x", evil)).toThrow(/is not a SHA-256$/);
  });
});
