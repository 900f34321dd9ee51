/**
 * Provision records (情報提供等記録, My Number Act art. 23; FACTS §5.5): for every request or
 * provision both the requester and the provider record the parties, the request time, the
 * provision time and the data items; kept 7 years (施行令 art. 30) and shown to the person in the
 * Myna Portal. This file is the typed record and its one canonical binary encoding — the bytes that
 * become a leaf of the Merkle log (merkle-log.ts) and that the store keeps.
 *
 * Encoding: a msgpack array (msgpackr, no records/extension types) in fixed field order, prefixed by
 * a version number. Decoding is strict: the bytes must be within {@link MAX_RECORD_BYTES}, every field
 * valid, and re-encoding the decoded record must give back exactly the same bytes — so one record
 * has one encoding and a leaf hash pins it.
 * @module
 */
import { Packr } from "msgpackr";
import { RecordFormatError } from "./network-errors.js";

/** Encoding version written first in every record. */
export const RECORD_VERSION = 1;
/** Largest encoded record accepted. */
export const MAX_RECORD_BYTES = 4096;
/** Most data items in one record. */
export const MAX_DATA_ITEMS = 64;
const MAX_TEXT = 128;

/** Which side kept the record. */
export type RecordSide = "requester" | "provider";

/** One provision record as one side keeps it. */
export interface ProvisionRecord {
  /** Exchange id, shared by the two sides' records of one exchange. */
  readonly exchangeId: string;
  readonly side: RecordSide;
  /** Requesting institution id. */
  readonly requester: string;
  /** Providing institution id. */
  readonly provider: string;
  /** The recording institution's own code for the person (never the My Number). */
  readonly personCode: string;
  /** Procedure (事務) the exchange was made for. */
  readonly procedure: string;
  /** Data items requested / provided. */
  readonly dataItems: readonly string[];
  /** Request time, ms since the epoch (UTC). */
  readonly requestedAt: number;
  /** Provision time, ms since the epoch, or null when nothing was provided. */
  readonly providedAt: number | null;
}

const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true, useFloat32: 0 });

function text(value: unknown, field: string, pattern?: RegExp): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_TEXT) {
    throw new RecordFormatError(`provision record ${field}: expected a string of 1..${MAX_TEXT} characters`);
  }
  if (pattern !== undefined && !pattern.test(value)) {
    throw new RecordFormatError(
      `provision record ${field}: expected to match ${String(pattern)}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function time(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RecordFormatError(
      `provision record ${field}: expected ms since the epoch (a safe non-negative integer)`,
    );
  }
  return value;
}

/** Checks a record's fields; returns a frozen copy. Throws {@link RecordFormatError}. */
export function validateRecord(r: ProvisionRecord): ProvisionRecord {
  if (typeof r !== "object" || r === null)
    throw new RecordFormatError("provision record: expected an object");
  const side = r.side;
  if (side !== "requester" && side !== "provider") {
    throw new RecordFormatError('provision record side: expected "requester" or "provider"');
  }
  if (!Array.isArray(r.dataItems) || r.dataItems.length === 0 || r.dataItems.length > MAX_DATA_ITEMS) {
    throw new RecordFormatError(`provision record dataItems: expected 1..${MAX_DATA_ITEMS} items`);
  }
  const dataItems = r.dataItems.map((d, i) => text(d, `dataItems[${i}]`));
  const requestedAt = time(r.requestedAt, "requestedAt");
  const providedAt = r.providedAt === null ? null : time(r.providedAt, "providedAt");
  if (providedAt !== null && providedAt < requestedAt) {
    throw new RecordFormatError("provision record providedAt: expected no earlier than requestedAt");
  }
  return Object.freeze({
    exchangeId: text(r.exchangeId, "exchangeId"),
    side,
    requester: text(r.requester, "requester"),
    provider: text(r.provider, "provider"),
    personCode: text(r.personCode, "personCode", /^[0-9a-f]{64}$/),
    procedure: text(r.procedure, "procedure"),
    dataItems: Object.freeze(dataItems),
    requestedAt,
    providedAt,
  });
}

/** The canonical bytes of a record (validated first). */
export function encodeRecord(record: ProvisionRecord): Uint8Array {
  const r = validateRecord(record);
  const bytes = packr.pack([
    RECORD_VERSION,
    r.exchangeId,
    r.side,
    r.requester,
    r.provider,
    r.personCode,
    r.procedure,
    [...r.dataItems],
    r.requestedAt,
    r.providedAt,
  ]);
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new RecordFormatError(`provision record: ${bytes.length} bytes encoded, limit ${MAX_RECORD_BYTES}`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Decodes canonical bytes strictly (size, shape, fields, re-encoding identical). */
export function decodeRecord(bytes: Uint8Array): ProvisionRecord {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_RECORD_BYTES) {
    throw new RecordFormatError(`provision record: expected 1..${MAX_RECORD_BYTES} bytes`);
  }
  let v: unknown;
  try {
    // a plain Uint8Array (no Buffer): the Myna Portal page decodes records with this in the browser
    v = packr.unpack(bytes);
  } catch (e) {
    throw new RecordFormatError(
      `provision record: not msgpack (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (!Array.isArray(v) || v.length !== 10)
    throw new RecordFormatError("provision record: expected an array of 10 fields");
  if (v[0] !== RECORD_VERSION)
    throw new RecordFormatError(`provision record version: expected ${RECORD_VERSION}`);
  const rec = validateRecord({
    exchangeId: v[1],
    side: v[2],
    requester: v[3],
    provider: v[4],
    personCode: v[5],
    procedure: v[6],
    dataItems: v[7],
    requestedAt: v[8],
    providedAt: v[9],
  } as ProvisionRecord);
  const again = encodeRecord(rec);
  if (again.length !== bytes.length || !again.every((b, i) => b === bytes[i])) {
    throw new RecordFormatError("provision record: not in canonical encoding");
  }
  return rec;
}
