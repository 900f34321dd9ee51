/**
 * The hub's one lmdb environment (`DIR/store/`; issue 12 item 4: an established embedded database,
 * not a hand-written file format) and its named databases:
 *
 * | db          | key                                  | value                                       |
 * |-------------|--------------------------------------|---------------------------------------------|
 * | `records`   | leaf index (uint32)                  | canonical record bytes (provision-record.ts); deleted by retention |
 * | `leaves`    | leaf index (uint32)                  | RFC 9162 leaf hash, 32 bytes (kept forever)  |
 * | `meta`      | `size`, `head`, `retainedBefore`     | tree size; last signed head; retention cursor |
 * | `exchanges` | requester ‖ 0x00 ‖ exchange id       | [requester leaf index, provider leaf index]  |
 * | `portal`    | the person's code at `portal`        | leaf indices (dupSort, ascending)           |
 * | `codes`     | institution ‖ 0x00 ‖ code            | the person's link id (the core's code table) |
 * | `copies`    | provider ‖ 0x00 ‖ code ‖ 0x00 ‖ item | the provider's copy (副本) of the item        |
 *
 * Durability: opened with `overlappingSync: false` and none of `noSync`, `noMetaSync`, `useWritemap`,
 * `mapAsync`, so every commit is LMDB's default durable commit — `mdb_txn_commit` writes the dirty
 * pages and fdatasyncs the data file, then writes and syncs the meta page, before lmdb-js's write
 * thread reports the transaction committed; the store also awaits `env.flushed` before it
 * acknowledges. A crash at any point leaves the environment at the last committed transaction (LMDB's
 * copy-on-write B-tree with two meta pages).
 * @module
 */
import { open, type Database, type RootDatabase } from "lmdb";

/** The named databases of the hub's environment. */
export interface HubEnv {
  readonly env: RootDatabase;
  readonly records: Database<Buffer, number>;
  readonly leaves: Database<Buffer, number>;
  readonly meta: Database<unknown, string>;
  readonly exchanges: Database<readonly [number, number], string>;
  readonly portal: Database<number, string>;
  readonly codes: Database<string, string>;
  readonly copies: Database<string, string>;
}

/** Key separator inside composite string keys (never part of an id: ids are checked). */
export const SEP = "\u0000";

/** Opens (creating when missing) the environment at `storeDir`. */
export function openHubEnv(storeDir: string): HubEnv {
  const env = open({
    path: storeDir,
    overlappingSync: false,
    maxDbs: 12,
    // no noSync / noMetaSync / useWritemap / mapAsync: see the module comment
  });
  return {
    env,
    records: env.openDB<Buffer, number>({ name: "records", keyEncoding: "uint32", encoding: "binary" }),
    leaves: env.openDB<Buffer, number>({ name: "leaves", keyEncoding: "uint32", encoding: "binary" }),
    meta: env.openDB<unknown, string>({ name: "meta", encoding: "msgpack" }),
    exchanges: env.openDB<readonly [number, number], string>({ name: "exchanges", encoding: "msgpack" }),
    portal: env.openDB<number, string>({ name: "portal", dupSort: true, encoding: "ordered-binary" }),
    codes: env.openDB<string, string>({ name: "codes", encoding: "string" }),
    copies: env.openDB<string, string>({ name: "copies", encoding: "string" }),
  };
}
