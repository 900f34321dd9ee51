/**
 * A crypto worker pool and the batched operations on it: key generation, signing, verification and
 * certificate issuance (DESIGN.md §4, §6). Work is cut into tasks of hundreds of operations (tasks.ts)
 * and results come back in task order, so they never depend on which thread finished first.
 *
 * {@link CryptoPool} keeps its piscina threads alive between calls, unlike engine/pool's `runTasks`
 * (which starts a pool per call — right for replications, too slow to start for a benchmark or a
 * hot path where a thread's start-up under tsx costs hundreds of milliseconds). It uses the same
 * codec and worker convention (`poolWorker`, msgpackr, `.ts` workers through tsx), and with
 * `threads: 1` runs tasks in this thread through `runTasks`'s in-thread path, with no pool at all.
 * @module
 */
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import {
  checkThreads,
  decode,
  defaultThreads,
  encode,
  runTasks,
  workerModule,
} from "../../engine/pool/task-pool.js";
import type { KeyKind, KeyPairDer } from "./algorithms.js";
import { checkKind } from "./algorithms.js";
import { CryptoTaskError } from "./errors.js";
import type { VerifyTaskAnswer } from "./worker.js";
import type { RsaDigestVerifier, RsaVerifyBackend, RsaVerifyChoice } from "./native-rsa.js";
import { rsaDigestVerifier } from "./native-rsa.js";
import type {
  ByteList,
  CryptoResult,
  CryptoTask,
  IssueItem,
  IssueTask,
  ResultOf,
  VerifyResult,
  VerifyTask,
} from "./tasks.js";
import { asBuffer, cryptoTaskHandler, packBytes, packU32, packVerifyTask, unpackBytes } from "./tasks.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

/** Operations per task by default: enough that pool overhead is < 1 % of the task's work. */
export const DEFAULT_BATCH = {
  /** RSA-2048 keygen ≈160 ms each (and very variable): one per task is already ≫ pool overhead. */
  keygenRsa: 1,
  /** EC / Ed25519 keygen ≈40 µs each. */
  keygen: 256,
  /** RSA-2048 sign ≈0.25 ms: 256 → ≈60 ms per task. */
  sign: 256,
  /** RSA-2048 verify ≈0.02 ms: 2,048 → ≈45 ms per task. */
  verify: 2048,
  /** One CA signature each (≈0.3 ms with DER building). */
  issue: 256,
} as const;

/** Options of {@link CryptoPool}. */
export interface CryptoPoolOptions {
  /** Worker threads; default every core. 1 = run in this thread, no pool. */
  readonly threads?: number;
  /**
   * RSA verification back-end of prepared digests (native-rsa.ts): `auto` (default) = the native
   * addon when it is built, else node:crypto; `native` = the addon or an error; `node:crypto` =
   * node:crypto always. Each thread decides at its start.
   */
  readonly rsaVerify?: RsaVerifyChoice;
}

/**
 * A persistent crypto worker pool. Call {@link CryptoPool.destroy} when done (or use
 * {@link withCryptoPool}).
 */
export class CryptoPool {
  /** Threads the pool runs (1 = in this thread). */
  readonly threads: number;
  /** The RSA verification back-end asked for (see {@link CryptoPoolOptions.rsaVerify}). */
  readonly rsaVerifyChoice: RsaVerifyChoice;
  #piscina: Piscina | undefined;
  /** With `threads: 1`: this thread's verifier, made on first use. */
  #rsa: RsaDigestVerifier | undefined;

  constructor(options: CryptoPoolOptions = {}) {
    this.threads = checkThreads(options.threads ?? defaultThreads());
    this.rsaVerifyChoice = options.rsaVerify ?? "auto";
  }

  /** With `threads: 1`: the task handler of this thread, its RSA verifier made on first use. */
  #inThread(): (task: CryptoTask) => CryptoResult {
    this.#rsa ??= rsaDigestVerifier({ choice: this.rsaVerifyChoice });
    return cryptoTaskHandler({ rsa: this.#rsa });
  }

  #pool(): Piscina {
    if (this.#piscina) return this.#piscina;
    const { filename, execArgv } = workerModule(WORKER_URL);
    this.#piscina = new Piscina({
      filename,
      minThreads: this.threads,
      maxThreads: this.threads,
      execArgv,
      idleTimeout: 60_000,
      workerData: { rsaVerify: this.rsaVerifyChoice },
    });
    return this.#piscina;
  }

  /** Runs every task and resolves with the results in task order. */
  async run<T extends CryptoTask>(tasks: readonly T[]): Promise<ResultOf<T>[]> {
    if (this.threads === 1) {
      return (await runTasks<CryptoTask, CryptoResult>([...tasks], {
        threads: 1,
        workerUrl: WORKER_URL,
        handler: this.#inThread(),
      })) as ResultOf<T>[];
    }
    const pool = this.#pool();
    return Promise.all(
      tasks.map(async (t) => {
        const { port1, port2 } = new MessageChannel();
        // msgpackr's output is a view into a larger, reused buffer, and posting a view clones its
        // whole ArrayBuffer: copy the payload into its own buffer once and transfer that instead.
        const payload = new Uint8Array(encode(t));
        try {
          const bytes = (await pool.run(
            { payload, port: port2 },
            { transferList: [port2, payload.buffer] },
          )) as Uint8Array;
          return decode<ResultOf<T>>(bytes);
        } finally {
          port1.close();
        }
      }),
    );
  }

  /**
   * Runs verify tasks made by {@link packVerifyTask}, results in task order. On worker threads each
   * task is posted as is with its one buffer transferred (the worker's `verifyTask` export): no
   * codec, no copy — at ≈14 µs per RSA-2048 verification, encoding and copying the ≈290 bytes of
   * each pair into fresh buffers cost several per cent of the pool's CPU. The task's buffer is
   * detached afterwards. With `threads: 1` they run in this thread, straight from their buffers
   * (verdicts do not depend on a codec round trip).
   */
  async runVerify(packed: readonly { task: VerifyTask; buffer: ArrayBuffer }[]): Promise<VerifyResult[]> {
    if (this.threads === 1) {
      const handle = this.#inThread();
      return packed.map((p) => handle(p.task) as VerifyResult);
    }
    const pool = this.#pool();
    return Promise.all(
      packed.map(async ({ task, buffer }) => {
        const r = (await pool.run(task, { name: "verifyTask", transferList: [buffer] })) as VerifyTaskAnswer;
        if ("error" in r) throw new CryptoTaskError(r.error);
        return r;
      }),
    );
  }

  /** Starts every thread (one trivial task each), so later timings exclude thread start-up. */
  async warmUp(): Promise<void> {
    await this.run(Array.from({ length: this.threads * 2 }, () => ({ op: "ping" }) as const));
  }

  /**
   * The RSA verification back-end the pool's threads use (asked of a thread, which decided at its
   * start). Every thread makes the same choice from the same build, so one answer stands for all.
   */
  async rsaVerifyBackend(): Promise<RsaVerifyBackend> {
    const [r] = await this.run([{ op: "ping" } as const]);
    return r!.rsaVerify;
  }

  /** Stops the threads. The pool can be used again afterwards (threads restart). */
  async destroy(): Promise<void> {
    const p = this.#piscina;
    this.#piscina = undefined;
    if (p) await p.destroy();
  }
}

/** Runs `fn` with a pool: `options.pool` when given (left running), else a new one destroyed afterwards. */
export async function withCryptoPool<R>(
  options: { readonly pool?: CryptoPool; readonly threads?: number },
  fn: (pool: CryptoPool) => Promise<R>,
): Promise<R> {
  if (options.pool) return fn(options.pool);
  const pool = new CryptoPool({ threads: options.threads });
  try {
    return await fn(pool);
  } finally {
    await pool.destroy();
  }
}

/** `[start, end)` ranges covering `0..n` in pieces of at most `size`. */
export function batchRanges(n: number, size: number): [number, number][] {
  if (!Number.isInteger(size) || size < 1) throw new CryptoTaskError(`batch size must be ≥ 1, got ${size}`);
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

/** Options of the batched operations. */
export interface BatchOptions {
  /** Operations per task (defaults in {@link DEFAULT_BATCH}). */
  readonly batchSize?: number;
}

/** Generate `count` key pairs of `kind` on the pool, as DER. */
export async function generateKeyPairs(
  pool: CryptoPool,
  kind: KeyKind,
  count: number,
  options: BatchOptions = {},
): Promise<KeyPairDer[]> {
  checkKind(kind);
  const tasks = batchRanges(
    count,
    options.batchSize ?? (kind === "rsa2048" ? DEFAULT_BATCH.keygenRsa : DEFAULT_BATCH.keygen),
  ).map(([s, e]) => ({ op: "keygen", kind, count: e - s }) as const);
  const out: KeyPairDer[] = [];
  for (const r of await pool.run(tasks)) {
    const pkcs8 = unpackBytes(r.pkcs8);
    const spki = unpackBytes(r.spki);
    for (let i = 0; i < pkcs8.length; i++) out.push({ pkcs8: pkcs8[i]!, spki: spki[i]! });
  }
  return out;
}

/** Per-batch key subsets: the distinct keys a batch uses and its messages' indexes into them. */
function keySubset(
  keys: readonly Uint8Array[],
  keyOf: ArrayLike<number> | undefined,
  s: number,
  e: number,
): { keys: Uint8Array[]; keyOf: Uint32Array | null } {
  if (!keyOf) return { keys: [keys[0]!], keyOf: null };
  const local = new Map<number, number>();
  const subset: Uint8Array[] = [];
  const map = new Uint32Array(e - s);
  for (let i = s; i < e; i++) {
    const g = keyOf[i]!;
    if (!Number.isInteger(g) || g < 0 || g >= keys.length)
      throw new CryptoTaskError(`keyOf[${i}] = ${g} is not an index into ${keys.length} keys`);
    let l = local.get(g);
    if (l === undefined) {
      l = subset.length;
      local.set(g, l);
      subset.push(keys[g]!);
    }
    map[i - s] = l;
  }
  return { keys: subset, keyOf: map };
}

/** {@link keySubset} packed for a task. */
function remapKeys(
  keys: readonly Uint8Array[],
  keyOf: ArrayLike<number> | undefined,
  s: number,
  e: number,
): { keys: ByteList; keyOf: Uint8Array | null } {
  const sub = keySubset(keys, keyOf, s, e);
  return { keys: packBytes(sub.keys), keyOf: sub.keyOf ? packU32(sub.keyOf) : null };
}

/**
 * Sign every message on the pool. `keys` are PKCS#8 DER; message `i` is signed with
 * `keys[keyOf[i]]`, or with `keys[0]` when `keyOf` is omitted. Returns signatures in message order.
 */
export async function signMessages(
  pool: CryptoPool,
  kind: KeyKind,
  keys: readonly Uint8Array[],
  messages: readonly Uint8Array[],
  keyOf?: ArrayLike<number>,
  options: BatchOptions = {},
): Promise<Uint8Array[]> {
  checkKind(kind);
  if (keys.length === 0) throw new CryptoTaskError("signMessages: no keys");
  if (keyOf && keyOf.length !== messages.length)
    throw new CryptoTaskError(
      `signMessages: keyOf has ${keyOf.length} entries for ${messages.length} messages`,
    );
  const tasks = batchRanges(messages.length, options.batchSize ?? DEFAULT_BATCH.sign).map(
    ([s, e]) =>
      ({
        op: "sign",
        kind,
        ...remapKeys(keys, keyOf, s, e),
        messages: packBytes(messages.slice(s, e)),
      }) as const,
  );
  return (await pool.run(tasks)).flatMap((r) => unpackBytes(r.signatures));
}

/**
 * Verify every signature on the pool. `keys` are SubjectPublicKeyInfo DER, indexed like
 * {@link signMessages}. Returns one boolean per signature.
 */
export async function verifySignatures(
  pool: CryptoPool,
  kind: KeyKind,
  keys: readonly Uint8Array[],
  messages: readonly Uint8Array[],
  signatures: readonly Uint8Array[],
  keyOf?: ArrayLike<number>,
  options: BatchOptions = {},
): Promise<boolean[]> {
  checkKind(kind);
  if (keys.length === 0) throw new CryptoTaskError("verifySignatures: no keys");
  if (signatures.length !== messages.length)
    throw new CryptoTaskError(
      `verifySignatures: ${signatures.length} signatures for ${messages.length} messages`,
    );
  if (keyOf && keyOf.length !== messages.length)
    throw new CryptoTaskError(
      `verifySignatures: keyOf has ${keyOf.length} entries for ${messages.length} messages`,
    );
  return runVerify(pool, kind, keys, messages, signatures, keyOf, options, false);
}

/**
 * Verify RSA-2048 signatures over prepared SHA-256 digests on the pool (the work `openssl speed`
 * measures: no hashing, a reused key object per thread). `digests[i]` is the 32-byte SHA-256 of the
 * signed data; keys and `keyOf` as in {@link verifySignatures}. Returns one boolean per signature
 * (false for a digest that is not 32 bytes or a signature that is not the modulus size). Each
 * thread verifies with the back-end it chose at its start ({@link CryptoPool.rsaVerifyBackend}:
 * the native addon, one OpenSSL context per key and one call per run of pairs, or node:crypto).
 * @throws CryptoTaskError when `kind` is not `"rsa2048"`, the lists disagree in length or a key is
 *   not RSA SubjectPublicKeyInfo DER
 */
export async function verifyDigests(
  pool: CryptoPool,
  kind: KeyKind,
  keys: readonly Uint8Array[],
  digests: readonly Uint8Array[],
  signatures: readonly Uint8Array[],
  keyOf?: ArrayLike<number>,
  options: BatchOptions = {},
): Promise<boolean[]> {
  if (checkKind(kind) !== "rsa2048")
    throw new CryptoTaskError(`verifyDigests: prepared digests are supported for rsa2048 only, not ${kind}`);
  if (keys.length === 0) throw new CryptoTaskError("verifyDigests: no keys");
  if (signatures.length !== digests.length)
    throw new CryptoTaskError(`verifyDigests: ${signatures.length} signatures for ${digests.length} digests`);
  if (keyOf && keyOf.length !== digests.length)
    throw new CryptoTaskError(
      `verifyDigests: keyOf has ${keyOf.length} entries for ${digests.length} digests`,
    );
  return runVerify(pool, kind, keys, digests, signatures, keyOf, options, true);
}

async function runVerify(
  pool: CryptoPool,
  kind: KeyKind,
  keys: readonly Uint8Array[],
  messages: readonly Uint8Array[],
  signatures: readonly Uint8Array[],
  keyOf: ArrayLike<number> | undefined,
  options: BatchOptions,
  prehashed: boolean,
): Promise<boolean[]> {
  const tasks = batchRanges(messages.length, options.batchSize ?? DEFAULT_BATCH.verify).map(([s, e]) => {
    const sub = keySubset(keys, keyOf, s, e);
    return packVerifyTask(kind, sub.keys, sub.keyOf, messages, signatures, s, e, prehashed);
  });
  const out: boolean[] = [];
  for (const r of await pool.runVerify(tasks)) for (const v of r.valid) out.push(v === 1);
  return out;
}

/** A CA as the issuance tasks need it: its PKCS#8 key and its certificate. */
export interface CaMaterial {
  readonly key: Uint8Array;
  readonly certificate: Uint8Array;
}

/**
 * Issue end-entity certificates on the pool (sim/pki's JPKI profiles; one CA signature each).
 * Returns certificate DERs in item order.
 */
export async function issueCertificates(
  pool: CryptoPool,
  ca: CaMaterial,
  certKind: IssueTask["certKind"],
  items: readonly IssueItem[],
  options: BatchOptions & { readonly profile?: IssueTask["profile"] } = {},
): Promise<Uint8Array[]> {
  const tasks = batchRanges(items.length, options.batchSize ?? DEFAULT_BATCH.issue).map(
    ([s, e]) =>
      ({
        op: "issue",
        certKind,
        profile: options.profile ?? "current",
        caKey: asBuffer(ca.key),
        caCertificate: asBuffer(ca.certificate),
        items: items
          .slice(s, e)
          .map((it) => ({ ...it, spki: asBuffer(it.spki), serial: asBuffer(it.serial) })),
      }) as const,
  );
  return (await pool.run(tasks)).flatMap((r) => unpackBytes(r.certificates));
}
