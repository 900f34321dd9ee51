/**
 * An in-memory tamper-evident log of provision records (issue 12 item 5): each record's canonical
 * bytes (provision-record.ts) become one RFC 9162 leaf (merkle-log.ts), and the log hands out what the
 * Myna Portal needs — a record with its inclusion proof against a signed tree head, and consistency
 * proofs between heads. The durable store of the live hub (lmdb, later) keeps the same bytes; this
 * module is the reference the hub and the tests build on.
 * @module
 */
import { MerkleLog } from "./merkle-log.js";
import { ProofRequestError } from "./network-errors.js";
import { decodeRecord, encodeRecord, type ProvisionRecord } from "./provision-record.js";
import type { TreeHeadSigner } from "./signed-tree-head.js";
import type { SignedTreeHead } from "../portal/tree-head.js";

/**
 * A stored record with what the person needs to check it. A record whose bytes were deleted by the
 * 7-year retention (hub retention.ts) comes back with `bytes` and `record` null: its `leafHash` (RFC
 * 9162 leaf hash, kept forever) still proves its place in the tree.
 */
export interface RecordWithProof {
  readonly index: number;
  readonly bytes: Uint8Array | null;
  readonly record: ProvisionRecord | null;
  /** RFC 9162 leaf hash of the record's bytes (SHA-256(0x00 ‖ bytes)). */
  readonly leafHash: Uint8Array;
  readonly proof: Uint8Array[];
  readonly head: SignedTreeHead;
}

/** Append-only provision-record log with signed heads. */
export class RecordLog {
  readonly #tree = new MerkleLog();
  readonly #records: Uint8Array[] = [];

  constructor(private readonly signer: TreeHeadSigner) {}

  get size(): number {
    return this.#tree.size;
  }

  /** Validates, encodes and appends one record; returns its index. */
  append(record: ProvisionRecord): number {
    const bytes = encodeRecord(record);
    const index = this.#tree.append(bytes);
    this.#records.push(bytes);
    return index;
  }

  /** Signs the current head at `timestamp` (ms since the epoch, given by the caller). */
  signHead(timestamp: number): SignedTreeHead {
    return this.signer.signLog(this.#tree, timestamp);
  }

  /** The stored bytes of record `index` (as the store holds them). */
  storedBytes(index: number): Uint8Array {
    const b = this.#records[index];
    if (b === undefined)
      throw new ProofRequestError(`record index: expected an integer in [0, ${this.size}), got ${index}`);
    return b;
  }

  /** Record `index` with its inclusion proof in the tree of `head`. */
  withProof(index: number, head: SignedTreeHead): RecordWithProof {
    const bytes = this.storedBytes(index);
    return {
      index,
      bytes,
      record: decodeRecord(bytes),
      leafHash: this.#tree.leafHash(index),
      proof: this.#tree.inclusionProof(index, head.size),
      head,
    };
  }

  /** Consistency proof between two heads of this log. */
  consistency(older: SignedTreeHead, newer: SignedTreeHead): Uint8Array[] {
    return this.#tree.consistencyProof(older.size, newer.size);
  }

  /** Test hook for the tamper test: overwrites stored bytes without touching the tree (what an attacker on the store could do). */
  tamperForTest(index: number, bytes: Uint8Array): void {
    this.storedBytes(index);
    this.#records[index] = bytes;
  }
}
