/**
 * The hub's durable provision-record store on lmdb (issue 12 items 4 and 5; FACTS §5.5; the tessera
 * lesson "cursor and data in one transaction"): for every exchange ONE lmdb transaction holds both
 * sides' canonical records (provision-record.ts), their RFC 9162 leaf hashes, the person's portal
 * index entries (portal code → leaf indices), the exchange-id dedupe entry and the new tree size.
 * An exchange is acknowledged only after that transaction has committed and been synced.
 *
 * **Guarantee relied on** (hub-env.ts): the environment is opened with `overlappingSync: false` and
 * without `noSync`, `noMetaSync`, `useWritemap` or `mapAsync`, so lmdb-js's write thread runs LMDB's
 * default `mdb_txn_commit`, which fdatasyncs the data file and then the meta page before the
 * transaction's promise resolves; the store then also awaits `env.flushed`. So once
 * {@link ProvisionStore.append} resolves, the records survive `kill -9` and power loss (as far as the
 * disk honours fdatasync); before it resolves nothing is acknowledged. LMDB transactions are atomic:
 * a crash or a failed commit leaves the previous committed state, never half an exchange.
 *
 * Writes go through one serial writer: appends queue, and each flush writes up to
 * {@link MAX_BATCH} exchanges in one transaction (group commit: one sync for the batch). The
 * in-memory Merkle tree (merkle-log.ts) grows only after the commit, and a new head is signed then;
 * it is stored in the next transaction (and on drain). On open, the tree is rebuilt from the stored
 * leaf hashes and its root at the last signed head's size must equal that head's root (signature
 * checked too), or the store refuses to open ({@link StoreIntegrityError}).
 *
 * **Bounded size.** lmdb-js's LMDB grows its memory map on demand instead of failing with
 * MDB_MAP_FULL, so the bound is the store's: a batch is refused with {@link StoreFullError} (HTTP 507
 * `store_full`) — nothing written — when the environment's high-water mark ((last page + 1) × page
 * size) plus the batch's worst case would pass `mapBytes`; a commit that fails for lack of disk
 * (ENOSPC, MDB_MAP_FULL) is refused the same way, and LMDB rolls it back whole.
 *
 * Retention (retention.ts) deletes record bytes older than 7 years through the same writer, with its
 * cursor in the same transaction; leaf hashes stay, so proofs and the root still verify.
 * @module
 */
import { InputError, TwinError } from "../../../engine/errors.js";
import type { InstitutionCode } from "../institution-codes.js";
import { leafHashNode, MerkleLog } from "../merkle-log.js";
import type { NetworkLogger } from "../network-logger.js";
import { NetworkSetupError, ProofRequestError } from "../network-errors.js";
import { decodeRecord, type ProvisionRecord } from "../provision-record.js";
import type { RecordWithProof } from "../record-log.js";
import type { TreeHeadSigner } from "../signed-tree-head.js";
import { verifyTreeHead, type SignedTreeHead } from "../../portal/tree-head.js";
import { SEP, type HubEnv } from "./hub-env.js";
import type { PortalRecordSource } from "./portal-source.js";

/** Most exchanges written in one transaction. */
export const MAX_BATCH = 256;
/** Default bound of the store's size (bytes): 4 GiB. */
export const DEFAULT_MAP_BYTES = 4096 * 2 ** 20;
/** Smallest bound accepted (bytes). */
export const MIN_MAP_BYTES = 256 * 1024;
/** Records deleted per retention transaction. */
const RETAIN_CHUNK = 10_000;

/** The store cannot take the write (bound reached, disk full); nothing of it was written. */
export class StoreFullError extends TwinError {
  constructor(message: string) {
    super("E_STORE_FULL", message);
  }
}

/** The requester's exchange id is already recorded (or being recorded). */
export class DuplicateExchangeError extends InputError {
  constructor(message: string) {
    super(message, "E_DUPLICATE_EXCHANGE");
  }
}

/**
 * The stored log does not match its last signed head, or the store changed under the writer. An
 * InputError: at start it makes the `--hub` directory unusable (one message, exit 2); during a
 * request it is answered 500 (its code maps to no client error).
 */
export class StoreIntegrityError extends InputError {
  constructor(message: string) {
    super(message, "E_STORE_INTEGRITY");
  }
}

/** The store is draining (service shutting down); nothing was written. */
export class StoreClosedError extends TwinError {
  constructor() {
    super("E_STORE_CLOSED", "the record store is shutting down; nothing was written");
  }
}

/** One exchange to record: both sides' canonical record bytes and the person's portal code. */
export interface ExchangeToRecord {
  readonly requester: string;
  readonly exchangeId: string;
  readonly requesterRecord: Uint8Array;
  readonly providerRecord: Uint8Array;
  readonly portalCode: InstitutionCode;
}

/** Where an acknowledged exchange's records are. */
export interface RecordedExchange {
  readonly requesterIndex: number;
  readonly providerIndex: number;
  /** Tree size after the transaction that wrote it. */
  readonly treeSize: number;
}

/** Options of {@link ProvisionStore.open}. */
export interface ProvisionStoreOptions {
  /** Bound of the store's size in bytes (default {@link DEFAULT_MAP_BYTES}). */
  readonly mapBytes?: number;
  /** Clock for head timestamps (ms since the epoch). */
  readonly now?: () => number;
  /** The core's portal-code derivation (for {@link PortalRecordSource.portalCodeOf}). */
  readonly portalCodeOf?: (myNumber: string) => InstitutionCode;
  readonly logger?: NetworkLogger;
}

interface Pending {
  readonly x: ExchangeToRecord;
  readonly key: string;
  resolve(r: RecordedExchange): void;
  reject(e: unknown): void;
}

interface StoredHead {
  readonly size: number;
  readonly timestamp: number;
  readonly rootHash: Uint8Array;
  readonly signature: Uint8Array;
}

const headValue = (h: SignedTreeHead) => ({
  size: h.size,
  timestamp: h.timestamp,
  rootHash: Buffer.from(h.rootHash),
  signature: Buffer.from(h.signature),
});

function asHead(v: unknown): SignedTreeHead | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const h = v as Partial<StoredHead>;
  if (typeof h.size !== "number" || typeof h.timestamp !== "number") return undefined;
  if (!(h.rootHash instanceof Uint8Array) || !(h.signature instanceof Uint8Array)) return undefined;
  return {
    size: h.size,
    timestamp: h.timestamp,
    rootHash: new Uint8Array(h.rootHash),
    signature: new Uint8Array(h.signature),
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function isDiskFull(e: unknown): boolean {
  const m = e instanceof Error ? `${e.message} ${(e as NodeJS.ErrnoException).code ?? ""}` : String(e);
  return /MDB_MAP_FULL|ENOSPC|No space left|EDQUOT/.test(m);
}

/** The lmdb-backed provision-record log. */
export class ProvisionStore implements PortalRecordSource {
  readonly #db: HubEnv;
  readonly #signer: TreeHeadSigner;
  readonly #tree = new MerkleLog();
  readonly #now: () => number;
  readonly #portalCodeOf: ((myNumber: string) => InstitutionCode) | undefined;
  readonly #logger: NetworkLogger | undefined;
  readonly mapBytes: number;
  #head: SignedTreeHead;
  #retainedBefore: number;
  #queue: Pending[] = [];
  readonly #pending = new Set<string>();
  #chain: Promise<void> = Promise.resolve();
  #flushQueued = false;
  #closed = false;
  #broken: string | undefined;

  private constructor(db: HubEnv, signer: TreeHeadSigner, o: ProvisionStoreOptions) {
    this.#db = db;
    this.#signer = signer;
    this.#now = o.now ?? Date.now;
    this.#portalCodeOf = o.portalCodeOf;
    this.#logger = o.logger;
    this.mapBytes = o.mapBytes ?? DEFAULT_MAP_BYTES;
    if (!Number.isSafeInteger(this.mapBytes) || this.mapBytes < MIN_MAP_BYTES)
      throw new InputError(
        `store size bound: expected at least ${MIN_MAP_BYTES} bytes, got ${this.mapBytes}`,
        "E_SERVE_ARGS",
      );
    const size = db.meta.get("size") ?? 0;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
      throw new StoreIntegrityError("store meta size: expected a non-negative integer");
    let expect = 0;
    for (const { key, value } of db.leaves.getRange({ start: 0 })) {
      if (key !== expect || value.length !== 32)
        throw new StoreIntegrityError(`store leaves: expected leaf ${expect} (32 bytes), found key ${key}`);
      if (expect >= size)
        throw new StoreIntegrityError(`store leaves: leaf ${key} beyond the stored size ${size}`);
      this.#tree.appendLeafHash(new Uint8Array(value));
      expect++;
    }
    if (expect !== size)
      throw new StoreIntegrityError(`store leaves: ${expect} stored, the stored size says ${size}`);
    const last = db.meta.get("head");
    if (last !== undefined) {
      const h = asHead(last);
      if (h === undefined || !verifyTreeHead(h, signer.publicKeyRaw))
        throw new StoreIntegrityError(
          "store head: the last signed tree head does not verify with the hub's key",
        );
      if (h.size > size || !sameBytes(this.#tree.root(h.size), h.rootHash))
        throw new StoreIntegrityError(
          `store head: the tree rebuilt from ${size} stored leaves does not have the last signed head's root at size ${h.size}`,
        );
    }
    const retained = db.meta.get("retainedBefore") ?? 0;
    this.#retainedBefore = typeof retained === "number" ? retained : 0;
    this.#head = signer.signLog(this.#tree, this.#now());
    db.meta.putSync("head", headValue(this.#head));
  }

  /**
   * Opens the store over an open hub environment: rebuilds the tree, checks it against the last
   * signed head, signs and stores a head for the current size.
   * @throws StoreIntegrityError when the stored log and its last signed head disagree
   */
  static open(db: HubEnv, signer: TreeHeadSigner, o: ProvisionStoreOptions = {}): ProvisionStore {
    return new ProvisionStore(db, signer, o);
  }

  /** Records committed (tree size). */
  get size(): number {
    return this.#tree.size;
  }

  /** Index below which retention has run. */
  get retainedBefore(): number {
    return this.#retainedBefore;
  }

  /** Bytes the environment's file uses (high-water mark). */
  usedBytes(): number {
    const s = this.#db.env.getStats() as { lastPageNumber: number; pageSize: number };
    return (s.lastPageNumber + 1) * s.pageSize;
  }

  /** True when `requester`'s `exchangeId` is recorded or being recorded. */
  has(requester: string, exchangeId: string): boolean {
    const key = `${requester}${SEP}${exchangeId}`;
    return this.#pending.has(key) || this.#db.exchanges.get(key) !== undefined;
  }

  /** The leaf indices of a recorded exchange, or undefined. */
  recorded(requester: string, exchangeId: string): readonly [number, number] | undefined {
    return this.#db.exchanges.get(`${requester}${SEP}${exchangeId}`);
  }

  /**
   * Records one exchange durably; resolves once its transaction is committed and synced.
   * @throws (rejects) DuplicateExchangeError, StoreFullError, StoreClosedError, StoreIntegrityError
   */
  append(x: ExchangeToRecord): Promise<RecordedExchange> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    if (this.#broken !== undefined) return Promise.reject(new StoreIntegrityError(this.#broken));
    const key = `${x.requester}${SEP}${x.exchangeId}`;
    if (this.#pending.has(key) || this.#db.exchanges.get(key) !== undefined)
      return Promise.reject(
        new DuplicateExchangeError(
          `exchangeId: ${JSON.stringify(x.exchangeId)} of requester "${x.requester}" is already recorded`,
        ),
      );
    this.#pending.add(key);
    return new Promise((resolve, reject) => {
      this.#queue.push({ x, key, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.#chain = this.#chain.then(() => this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (this.#queue.length > 0) this.#schedule();
    if (batch.length === 0) return;
    try {
      const base = this.#tree.size;
      const hashes = batch.flatMap((b) => [
        leafHashNode(b.x.requesterRecord),
        leafHashNode(b.x.providerRecord),
      ]);
      const pageSize = 4096;
      let need = 32 * pageSize;
      for (const b of batch)
        need += 2 * (b.x.requesterRecord.length + b.x.providerRecord.length + 2 * 48 + 160 + b.key.length);
      const used = this.usedBytes();
      if (used + need > this.mapBytes)
        throw new StoreFullError(
          `record store full: ${used} bytes used of the ${this.mapBytes} allowed (--hub-map-mb), this write needs up to ${need} more; nothing was written`,
        );
      const head = headValue(this.#head);
      const { db } = { db: this.#db };
      let diverged: number | undefined;
      await db.env.transaction(() => {
        const stored = db.meta.get("size") ?? 0;
        if (stored !== base) {
          diverged = stored as number;
          return; // nothing written
        }
        batch.forEach((b, i) => {
          const ri = base + 2 * i;
          const pi = ri + 1;
          db.records.putSync(ri, Buffer.from(b.x.requesterRecord));
          db.records.putSync(pi, Buffer.from(b.x.providerRecord));
          db.leaves.putSync(ri, Buffer.from(hashes[2 * i]!));
          db.leaves.putSync(pi, Buffer.from(hashes[2 * i + 1]!));
          db.portal.putSync(b.x.portalCode, ri);
          db.portal.putSync(b.x.portalCode, pi);
          db.exchanges.putSync(b.key, [ri, pi]);
        });
        db.meta.putSync("size", base + 2 * batch.length);
        db.meta.putSync("head", head);
      });
      await db.env.flushed;
      if (diverged !== undefined) {
        this.#broken = `store size ${diverged} differs from the writer's ${base}: another writer changed the store; restart the service`;
        throw new StoreIntegrityError(this.#broken);
      }
      for (const h of hashes) this.#tree.appendLeafHash(h);
      this.#head = this.#signer.signLog(this.#tree, this.#now());
      const treeSize = this.#tree.size;
      batch.forEach((b, i) =>
        b.resolve({ requesterIndex: base + 2 * i, providerIndex: base + 2 * i + 1, treeSize }),
      );
    } catch (e) {
      const err =
        e instanceof TwinError
          ? e
          : isDiskFull(e)
            ? new StoreFullError(
                `record store full: the commit failed (${e instanceof Error ? e.message.slice(0, 120) : String(e)}); nothing was written`,
              )
            : e;
      this.#logger?.warn("record write refused", {
        code: (err as { code?: string }).code ?? "E_INTERNAL",
        exchanges: batch.length,
        reason: err instanceof Error ? err.message : String(err),
      });
      for (const b of batch) b.reject(err);
    } finally {
      for (const b of batch) this.#pending.delete(b.key);
    }
  }

  /**
   * Deletes the bytes of records provided before `cutoff` (ms since the epoch), scanning from the
   * retention cursor in index order and stopping at the first younger record (records are appended
   * in provision-time order by the hub's clock). Leaf hashes stay. Returns the number deleted.
   */
  retainBefore(cutoff: number): Promise<number> {
    const run = this.#chain.then(async () => {
      let deleted = 0;
      for (;;) {
        const end = this.#tree.size;
        let i = this.#retainedBefore;
        const drop: number[] = [];
        while (i < end && drop.length < RETAIN_CHUNK) {
          const bytes = this.#db.records.get(i);
          if (bytes !== undefined) {
            let at: number;
            try {
              const r = decodeRecord(new Uint8Array(bytes));
              at = r.providedAt ?? r.requestedAt;
            } catch {
              at = -1; // unreadable bytes: its leaf hash still proves what it was; kept for inspection
            }
            if (at >= cutoff || at < 0) break;
            drop.push(i);
          }
          i++;
        }
        if (i === this.#retainedBefore) return deleted;
        const db = this.#db;
        await db.env.transaction(() => {
          for (const d of drop) db.records.removeSync(d);
          db.meta.putSync("retainedBefore", i);
        });
        await db.env.flushed;
        this.#retainedBefore = i;
        deleted += drop.length;
        if (drop.length < RETAIN_CHUNK) return deleted;
      }
    });
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Waits for queued writes, refuses new ones, stores the last head. */
  async drain(): Promise<void> {
    this.#closed = true;
    while (this.#queue.length > 0 || this.#flushQueued) await this.#chain;
    await this.#chain;
    if (this.#broken === undefined) this.#db.meta.putSync("head", headValue(this.#head));
  }

  // ---- PortalRecordSource ----

  indicesFor(portalCode: InstitutionCode): readonly number[] {
    if (typeof portalCode !== "string" || !/^[0-9a-f]{64}$/.test(portalCode)) return [];
    const size = this.#head.size;
    const out: number[] = [];
    for (const v of this.#db.portal.getValues(portalCode)) if (v < size) out.push(v);
    return out;
  }

  recordWithProof(index: number): RecordWithProof {
    const head = this.#head;
    if (!Number.isSafeInteger(index) || index < 0 || index >= head.size)
      throw new ProofRequestError(`record index: expected an integer in [0, ${head.size}), got ${index}`);
    const stored = this.#db.records.get(index);
    const bytes = stored === undefined ? null : new Uint8Array(stored);
    let record: ProvisionRecord | null = null;
    if (bytes !== null) {
      try {
        record = decodeRecord(bytes);
      } catch {
        record = null; // altered bytes: the proof check shows it
      }
    }
    return {
      index,
      bytes,
      record,
      leafHash: this.#tree.leafHash(index),
      proof: this.#tree.inclusionProof(index, head.size),
      head,
    };
  }

  head(): SignedTreeHead {
    return this.#head;
  }

  consistency(from: number, to: number): Uint8Array[] {
    if (!Number.isSafeInteger(to) || to > this.#head.size)
      throw new ProofRequestError(
        `consistency to: expected at most the head's size ${this.#head.size}, got ${to}`,
      );
    return this.#tree.consistencyProof(from, to);
  }

  portalCodeOf(myNumber: string): InstitutionCode {
    if (this.#portalCodeOf === undefined)
      throw new NetworkSetupError("provision store: opened without the core's portal-code derivation");
    return this.#portalCodeOf(myNumber);
  }
}
