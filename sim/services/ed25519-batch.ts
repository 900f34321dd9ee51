/**
 * Ed25519 jobs of the service's worker pool (verify-pool.ts `ed25519` ↔ verify-worker.ts
 * `ed25519Batch`): the provision hub's signatures (RFC 8032 Ed25519, node:crypto) — a requester's
 * request to verify, a provider's answer to sign and then verify with the provider's public key — so
 * the hub's main thread does HTTP and lmdb and the pool the crypto. Like verify-batch.ts, the jobs
 * waiting for a thread travel as one message of two transferred buffers and come back as two typed
 * arrays: per job whether the signature verified, and (for a signing job) the 64-byte signature.
 *
 * Keys travel as bytes (a raw 32-byte public key; a PKCS #8 DER private key) and each thread turns
 * them into `KeyObject`s once ({@link Ed25519Keys}, a bounded cache), not per job.
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/** Verify `signature` over `message` with a raw Ed25519 public key. */
export interface Ed25519VerifyJob {
  readonly kind: "verify";
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Sign `message` with a PKCS #8 DER private key, then verify the signature with the raw public key. */
export interface Ed25519SignJob {
  readonly kind: "sign";
  readonly privateKeyDer: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
}

export type Ed25519Job = Ed25519VerifyJob | Ed25519SignJob;

/** A job's answer: the signature verified; for a signing job, the signature made (else empty). */
export interface Ed25519Result {
  readonly ok: boolean;
  readonly signature: Uint8Array;
}

/** Bytes of each job back to back; `meta` per job [kind (0 verify, 1 sign), key, public key, message, signature lengths]. */
export interface Ed25519Batch {
  readonly bytes: Uint8Array;
  readonly meta: Uint32Array;
}

/** Per job 1 when the signature verified; `signatures` 64 bytes per job (zeros for a verify job). */
export interface Ed25519BatchResult {
  readonly ok: Uint8Array;
  readonly signatures: Uint8Array;
}

const FIELDS = 5;
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** Most keys a thread keeps (a hub directory has a few hundred institutions). */
export const MAX_CACHED_KEYS = 4096;

/** `KeyObject`s by their bytes, made once per thread. */
export class Ed25519Keys {
  readonly #keys = new Map<string, KeyObject>();

  #get(bytes: Uint8Array, make: () => KeyObject, tag: string): KeyObject {
    const id = tag + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
    let k = this.#keys.get(id);
    if (k === undefined) {
      k = make();
      if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
      this.#keys.set(id, k);
    }
    return k;
  }

  /** The public key of 32 raw bytes. */
  publicKey(raw: Uint8Array): KeyObject {
    return this.#get(
      raw,
      () => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" }),
      "p",
    );
  }

  /** The private key of PKCS #8 DER bytes. */
  privateKey(der: Uint8Array): KeyObject {
    return this.#get(
      der,
      () => createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" }),
      "s",
    );
  }
}

/** One job, here. A public key that is not 32 bytes does not verify anything. */
export function runEd25519Job(job: Ed25519Job, keys: Ed25519Keys): Ed25519Result {
  if (job.publicKey.length !== 32) return { ok: false, signature: new Uint8Array(0) };
  const pub = keys.publicKey(job.publicKey);
  if (job.kind === "verify")
    return { ok: verify(null, job.message, pub, job.signature), signature: new Uint8Array(0) };
  const signature = new Uint8Array(sign(null, job.message, keys.privateKey(job.privateKeyDer)));
  return { ok: verify(null, job.message, pub, signature), signature };
}

/** Packs jobs into one {@link Ed25519Batch} (two buffers, to be transferred). */
export function packEd25519Batch(jobs: readonly Ed25519Job[]): Ed25519Batch {
  let size = 0;
  for (const j of jobs)
    size +=
      j.publicKey.length +
      j.message.length +
      (j.kind === "verify" ? j.signature.length : j.privateKeyDer.length);
  const bytes = new Uint8Array(size);
  const meta = new Uint32Array(jobs.length * FIELDS);
  let p = 0;
  const put = (b: Uint8Array): void => {
    bytes.set(b, p);
    p += b.length;
  };
  jobs.forEach((j, i) => {
    const key = j.kind === "sign" ? j.privateKeyDer : new Uint8Array(0);
    const sig = j.kind === "verify" ? j.signature : new Uint8Array(0);
    put(key);
    put(j.publicKey);
    put(j.message);
    put(sig);
    meta.set(
      [j.kind === "verify" ? 0 : 1, key.length, j.publicKey.length, j.message.length, sig.length],
      i * FIELDS,
    );
  });
  return { bytes, meta };
}

/** Runs every job of a batch (on a pool thread, or here when the pool has no threads). */
export function runEd25519Batch(batch: Ed25519Batch, keys: Ed25519Keys): Ed25519BatchResult {
  const n = batch.meta.length / FIELDS;
  const ok = new Uint8Array(n);
  const signatures = new Uint8Array(64 * n);
  const { bytes, meta } = batch;
  let p = 0;
  const take = (len: number): Uint8Array => bytes.subarray(p, (p += len));
  for (let i = 0; i < n; i++) {
    const [kind, keyLen, pubLen, msgLen, sigLen] = meta.subarray(i * FIELDS, i * FIELDS + FIELDS);
    const privateKeyDer = take(keyLen!);
    const publicKey = take(pubLen!);
    const message = take(msgLen!);
    const signature = take(sigLen!);
    const r = runEd25519Job(
      kind === 0
        ? { kind: "verify", publicKey, message, signature }
        : { kind: "sign", privateKeyDer, publicKey, message },
      keys,
    );
    ok[i] = r.ok ? 1 : 0;
    if (r.signature.length === 64) signatures.set(r.signature, 64 * i);
  }
  return { ok, signatures };
}
