/**
 * Crypto work as pool tasks (DESIGN.md §4: batches of hundreds of operations per task so the
 * ≈20 µs per-task pool overhead stays below 1 %). A task is a plain, msgpackr-serialisable object —
 * keys travel as DER (PKCS#8 / SubjectPublicKeyInfo), messages and signatures as byte arrays — and
 * {@link handleCryptoTask} is a pure function of it, so the same task gives the same result on any
 * thread (RSA and Ed25519 byte for byte; ECDSA signatures carry a fresh nonce, see algorithms.ts).
 * worker.ts exports this handler, bound to what the thread decided at its start ({@link
 * CryptoWorkerEnv}: which RSA verification back-end), as the pool's worker module.
 * @module
 */
import type { KeyObject } from "node:crypto";
import { threadId } from "node:worker_threads";
import type { BasicFacts, JpkiCertKind, JpkiIssuer, JpkiProfile } from "../pki/index.js";
import {
  issueAuthenticationCertificate,
  issueSignatureCertificate,
  nodeSigner,
  parseCertificate,
} from "../pki/index.js";
import type { KeyKind } from "./algorithms.js";
import {
  checkKind,
  generateKeyPairDer,
  importPrivateKey,
  importPublicKey,
  signWith,
  verifyWith,
} from "./algorithms.js";
import type { AuthenticateResult, AuthenticateTask } from "./card-auth.js";
import { runAuthenticationBatch } from "./card-auth.js";
import { CryptoTaskError } from "./errors.js";
import type { RsaDigestVerifier, RsaVerifyBackend } from "./native-rsa.js";
import { DIGEST_BYTES, verifyDigestList } from "./native-rsa.js";

/**
 * A list of byte strings packed into one buffer: item `i` is `bytes[end(i-1) .. end(i))`, where the
 * ends are little-endian u32s in `ends`. Both are Node `Buffer`s on purpose: engine/pool's msgpackr
 * codec (`moreTypes`) writes a `Buffer` as plain bin at memory speed and reads it back as a view, but
 * takes ≈6 ms to encode a 600 kB `Uint8Array` and ≈3 ms for a 2,048-entry `Uint32Array` (typed-array
 * extension) — 7–17 % of an RSA verify batch.
 */
export interface ByteList {
  readonly bytes: Uint8Array;
  readonly ends: Uint8Array;
}

/** Pack whole numbers < 2^32 as little-endian u32s in a `Buffer` (see {@link ByteList}). */
export function packU32(values: ArrayLike<number>): Uint8Array {
  const b = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) b.writeUInt32LE(values[i]!, i * 4);
  return b;
}

/** Read what {@link packU32} wrote. */
export function unpackU32(b: Uint8Array): Uint32Array {
  if (b.length % 4 !== 0) throw new CryptoTaskError(`u32 list: ${b.length} bytes is not a multiple of 4`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Uint32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint32(i * 4, true);
  return out;
}

/** A zero-copy `Buffer` view of `b` (msgpackr's fast path, see {@link ByteList}). */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Pack byte strings into a {@link ByteList}. */
export function packBytes(list: readonly Uint8Array[]): ByteList {
  let total = 0;
  const ends = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) ends[i] = total += list[i]!.length;
  const bytes = Buffer.allocUnsafe(total);
  let p = 0;
  for (const b of list) {
    bytes.set(b, p);
    p += b.length;
  }
  return { bytes, ends: packU32(ends) };
}

/**
 * A verify task whose byte lists all live in ONE new `ArrayBuffer` (returned as `buffer`), so the
 * task can be posted to a worker with that buffer transferred — no codec and no copy on the way
 * (pool.ts). `keys` are the task's own key list and `keyOf` indexes into it (null: every pair uses
 * key 0); the pairs are `messages[start, end)` with `signatures[start, end)`.
 */
export function packVerifyTask(
  kind: KeyKind,
  keys: readonly Uint8Array[],
  keyOf: Uint32Array | null,
  messages: readonly Uint8Array[],
  signatures: readonly Uint8Array[],
  start: number,
  end: number,
  prehashed: boolean,
): { task: VerifyTask; buffer: ArrayBuffer } {
  const n = end - start;
  if (keyOf && keyOf.length !== n)
    throw new CryptoTaskError(`verify: keyOf has ${keyOf.length} entries for ${n} messages`);
  let total = (keys.length + (keyOf ? n : 0) + 2 * n) * 4;
  for (const k of keys) total += k.length;
  for (let i = start; i < end; i++) total += messages[i]!.length + signatures[i]!.length;
  const buffer = new ArrayBuffer(total);
  const view = new DataView(buffer);
  let at = 0;
  const u32s = (count: number, value: (i: number) => number): Buffer => {
    const b = Buffer.from(buffer, at, count * 4);
    for (let i = 0; i < count; i++) view.setUint32(at + i * 4, value(i), true);
    at += count * 4;
    return b;
  };
  const list = (items: readonly Uint8Array[], s: number, e: number): ByteList => {
    let sum = 0;
    const ends = u32s(e - s, (i) => (sum += items[s + i]!.length));
    const bytes = Buffer.from(buffer, at, sum);
    let p = 0;
    for (let i = s; i < e; i++) {
      bytes.set(items[i]!, p);
      p += items[i]!.length;
    }
    at += sum;
    return { bytes, ends };
  };
  const packedKeyOf = keyOf ? u32s(n, (i) => keyOf[i]!) : null;
  const task: VerifyTask = {
    op: "verify",
    kind,
    keys: list(keys, 0, keys.length),
    keyOf: packedKeyOf,
    messages: list(messages, start, end),
    signatures: list(signatures, start, end),
    prehashed,
  };
  return { task, buffer };
}

/** The items of a {@link ByteList}, as views into its buffer. */
export function unpackBytes(list: ByteList): Uint8Array[] {
  const ends = unpackU32(list.ends);
  const out = new Array<Uint8Array>(ends.length);
  let s = 0;
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i]!;
    if (e < s || e > list.bytes.length)
      throw new CryptoTaskError(`byte list: bad end offset ${e} at item ${i}`);
    out[i] = new Uint8Array(list.bytes.buffer, list.bytes.byteOffset + s, e - s);
    s = e;
  }
  return out;
}

/** Starts a worker's thread and answers its id (warm-up; tells threads apart in tests). */
export interface PingTask {
  readonly op: "ping";
}

/** Generate `count` key pairs of `kind`. */
export interface KeygenTask {
  readonly op: "keygen";
  readonly kind: KeyKind;
  readonly count: number;
}

/**
 * Sign `messages[i]` with `keys[keyOf[i]]` (PKCS#8 DER), or with `keys[0]` for every message when
 * `keyOf` (u32s packed by {@link packU32}) is null.
 */
export interface SignTask {
  readonly op: "sign";
  readonly kind: KeyKind;
  readonly keys: ByteList;
  readonly keyOf: Uint8Array | null;
  readonly messages: ByteList;
}

/**
 * Verify `signatures[i]` over `messages[i]` with `keys[keyOf[i]]` (SPKI DER), `keys[0]` when `keyOf`
 * is null. With `prehashed: true` (rsa2048 only) each message is the prepared 32-byte SHA-256 digest
 * of the signed data, as `openssl speed` verifies: the worker checks the PKCS#1 v1.5 encoding of that
 * digest without hashing (RFC 8017 §8.2.2), through the thread's {@link RsaDigestVerifier}
 * (native-rsa.ts: the addon, or node:crypto).
 */
export interface VerifyTask {
  readonly op: "verify";
  readonly kind: KeyKind;
  readonly keys: ByteList;
  readonly keyOf: Uint8Array | null;
  readonly messages: ByteList;
  readonly signatures: ByteList;
  readonly prehashed?: boolean;
}

/** One end-entity certificate to issue. */
export interface IssueItem {
  /** The holder's SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  /** Certificate serial (unsigned magnitude, ≤ 20 octets). */
  readonly serial: Uint8Array;
  /** 23-character CN. */
  readonly commonName: string;
  /** Issuance time, epoch ms. */
  readonly issuedAt: number;
  /** Holder's date of birth `YYYY-MM-DD` (drives the expiry). */
  readonly birthDate: string;
  /** The 4 basic facts — required for signature certificates, null for authentication ones. */
  readonly facts: BasicFacts | null;
  /** CRL partition label, or null for the unpartitioned CRL. */
  readonly crlPartition: string | null;
}

/** Issue certificates of `certKind` under the CA whose key and certificate are given (sim/pki profiles). */
export interface IssueTask {
  readonly op: "issue";
  readonly certKind: JpkiCertKind;
  readonly profile: JpkiProfile;
  /** The CA's PKCS#8 private key. */
  readonly caKey: Uint8Array;
  /** The CA certificate DER (its subject and subjectKeyIdentifier name the issuer). */
  readonly caCertificate: Uint8Array;
  readonly items: readonly IssueItem[];
}

/** Every task the crypto worker runs. */
export type CryptoTask = PingTask | KeygenTask | SignTask | VerifyTask | IssueTask | AuthenticateTask;

/** Result of a {@link PingTask}. */
export interface PingResult {
  readonly threadId: number;
  /** The back-end this thread verifies prepared RSA digests with. */
  readonly rsaVerify: RsaVerifyBackend;
}
/** Result of a {@link KeygenTask}: parallel lists of DER keys. */
export interface KeygenResult {
  readonly pkcs8: ByteList;
  readonly spki: ByteList;
}
/** Result of a {@link SignTask}, one signature per message. */
export interface SignResult {
  readonly signatures: ByteList;
}
/** Result of a {@link VerifyTask}: `valid[i]` is 1 when signature `i` verifies, else 0. */
export interface VerifyResult {
  readonly valid: Uint8Array;
}
/** Result of an {@link IssueTask}: certificate DERs in item order. */
export interface IssueResult {
  readonly certificates: ByteList;
}

/** The result type of each task type. */
export type ResultOf<T extends CryptoTask> = T extends PingTask
  ? PingResult
  : T extends KeygenTask
    ? KeygenResult
    : T extends SignTask
      ? SignResult
      : T extends VerifyTask
        ? VerifyResult
        : T extends IssueTask
          ? IssueResult
          : T extends AuthenticateTask
            ? AuthenticateResult
            : never;

/** Any task result. */
export type CryptoResult = ResultOf<CryptoTask>;

function keyIndexes(
  what: string,
  packedKeyOf: Uint8Array | null,
  n: number,
  keyCount: number,
): (i: number) => number {
  if (keyCount === 0) throw new CryptoTaskError(`${what}: no keys`);
  if (packedKeyOf === null) return () => 0;
  const keyOf = unpackU32(packedKeyOf);
  if (keyOf.length !== n)
    throw new CryptoTaskError(`${what}: keyOf has ${keyOf.length} entries for ${n} messages`);
  for (const k of keyOf) {
    if (k >= keyCount) throw new CryptoTaskError(`${what}: key index ${k} out of ${keyCount} keys`);
  }
  return (i) => keyOf[i]!;
}

function keygen(t: KeygenTask): KeygenResult {
  const kind = checkKind(t.kind);
  if (!Number.isInteger(t.count) || t.count < 0)
    throw new CryptoTaskError(`keygen: count must be a whole number ≥ 0, got ${t.count}`);
  const pkcs8: Uint8Array[] = [];
  const spki: Uint8Array[] = [];
  for (let i = 0; i < t.count; i++) {
    const pair = generateKeyPairDer(kind);
    pkcs8.push(pair.pkcs8);
    spki.push(pair.spki);
  }
  return { pkcs8: packBytes(pkcs8), spki: packBytes(spki) };
}

function signBatch(t: SignTask): SignResult {
  const kind = checkKind(t.kind);
  const keys = unpackBytes(t.keys);
  const messages = unpackBytes(t.messages);
  const keyAt = keyIndexes("sign", t.keyOf, messages.length, keys.length);
  const imported: (KeyObject | undefined)[] = new Array<KeyObject | undefined>(keys.length);
  const signatures: Uint8Array[] = new Array<Uint8Array>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const k = keyAt(i);
    const key = (imported[k] ??= importPrivateKey(keys[k]!));
    signatures[i] = signWith(kind, key, messages[i]!);
  }
  return { signatures: packBytes(signatures) };
}

/**
 * Public keys already imported by this thread, by SPKI bytes — so a worker verifying batch after
 * batch under the same few keys (a CA, a service's clients) imports each once. Bounded: it is
 * emptied when full.
 */
const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEY_MEMO = 256;

function publicKeyOf(spki: Uint8Array): KeyObject {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString("latin1");
  let key = publicKeys.get(id);
  if (key === undefined) {
    key = importPublicKey(spki);
    if (publicKeys.size >= PUBLIC_KEY_MEMO) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}

/**
 * The number of items of `list` when every one is `size` bytes and they fill `bytes` exactly (then
 * `bytes` is the packed run the RSA verifier takes as is); -1 otherwise.
 */
function uniformItems(list: ByteList, size: number): number {
  if (list.ends.length % 4 !== 0) return -1;
  const n = list.ends.length / 4;
  if (list.bytes.length !== n * size) return -1;
  const v = new DataView(list.ends.buffer, list.ends.byteOffset, list.ends.byteLength);
  for (let i = 0; i < n; i++) if (v.getUint32(i * 4, true) !== (i + 1) * size) return -1;
  return n;
}

/**
 * Prepared digests under one key, every digest 32 bytes and every signature the modulus size:
 * verified straight from the task's packed buffers in one call (no per-item views or copies).
 * Null when the task is not of that shape (then {@link verifyDigestList} handles it).
 */
function verifyUniformDigests(t: VerifyTask, keys: Uint8Array[], env: CryptoWorkerEnv): VerifyResult | null {
  if (t.keyOf !== null || keys.length === 0) return null;
  const n = uniformItems(t.messages, DIGEST_BYTES);
  if (n < 0 || uniformItems(t.signatures, env.rsa.modulusBytes(keys[0]!)) !== n) return null;
  const valid = new Uint8Array(n);
  env.rsa.verifyPacked(keys[0]!, t.messages.bytes, t.signatures.bytes, valid);
  return { valid };
}

function verifyBatch(t: VerifyTask, env: CryptoWorkerEnv): VerifyResult {
  const kind = checkKind(t.kind);
  if (t.prehashed === true && kind !== "rsa2048")
    throw new CryptoTaskError(`verify: prepared digests are supported for rsa2048 only, not ${kind}`);
  const keys = unpackBytes(t.keys);
  if (t.prehashed === true) {
    const uniform = verifyUniformDigests(t, keys, env);
    if (uniform) return uniform;
  }
  const messages = unpackBytes(t.messages);
  const signatures = unpackBytes(t.signatures);
  if (signatures.length !== messages.length)
    throw new CryptoTaskError(`verify: ${signatures.length} signatures for ${messages.length} messages`);
  const keyAt = keyIndexes("verify", t.keyOf, messages.length, keys.length);
  if (t.prehashed === true) return { valid: verifyDigestList(env.rsa, keys, keyAt, messages, signatures) };
  const imported: (KeyObject | undefined)[] = new Array<KeyObject | undefined>(keys.length);
  const valid = new Uint8Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const k = keyAt(i);
    const key = (imported[k] ??= publicKeyOf(keys[k]!));
    valid[i] = verifyWith(kind, key, messages[i]!, signatures[i]!) ? 1 : 0;
  }
  return { valid };
}

/** The issuer of an {@link IssueTask}: name and key id from the CA certificate, signer from the CA key. */
export function issuerOf(certKind: JpkiCertKind, caKey: Uint8Array, caCertificate: Uint8Array): JpkiIssuer {
  const cert = parseCertificate(caCertificate);
  if (!cert.subjectKeyId) throw new CryptoTaskError("issue: the CA certificate has no subjectKeyIdentifier");
  return {
    kind: certKind,
    name: cert.subject,
    keyId: cert.subjectKeyId,
    signer: nodeSigner(importPrivateKey(caKey)),
  };
}

function issueBatch(t: IssueTask): IssueResult {
  const issuer = issuerOf(t.certKind, t.caKey, t.caCertificate);
  const certificates = t.items.map((it) => {
    const common = {
      issuer,
      spki: it.spki,
      issuedAt: it.issuedAt,
      birthDate: it.birthDate,
      profile: t.profile,
      serial: it.serial,
      commonName: it.commonName,
      crlPartition: it.crlPartition ?? undefined,
    };
    if (t.certKind === "auth") return issueAuthenticationCertificate(common);
    if (!it.facts) throw new CryptoTaskError("issue: a signature certificate needs the holder's facts");
    return issueSignatureCertificate({ ...common, facts: it.facts });
  });
  return { certificates: packBytes(certificates) };
}

/** What a worker thread decides once at its start and hands to every task. */
export interface CryptoWorkerEnv {
  /** This thread's verifier of prepared RSA digests (native-rsa.ts). */
  readonly rsa: RsaDigestVerifier;
}

/**
 * Runs one task. Pure apart from key generation (random by nature) and ECDSA nonces.
 * @throws CryptoTaskError on a malformed task; PkiError from sim/pki on out-of-profile issuance input
 */
export function handleCryptoTask(task: CryptoTask, env: CryptoWorkerEnv): CryptoResult {
  switch (task.op) {
    case "ping":
      return { threadId, rsaVerify: env.rsa.backend };
    case "keygen":
      return keygen(task);
    case "sign":
      return signBatch(task);
    case "verify":
      return verifyBatch(task, env);
    case "issue":
      return issueBatch(task);
    case "authenticate":
      return runAuthenticationBatch(task);
    default:
      throw new CryptoTaskError(`unknown crypto task op ${String((task as { op?: unknown }).op)}`);
  }
}

/** {@link handleCryptoTask} bound to a thread's environment (the pool's task handler). */
export function cryptoTaskHandler(env: CryptoWorkerEnv): (task: CryptoTask) => CryptoResult {
  return (task) => handleCryptoTask(task, env);
}
