/**
 * The signed messages of the live hub (issue 12 item 4; FACTS §5.5 "each message signed"): the
 * requester's exchange request and the provider's intermediate-server answer, each with ONE canonical
 * byte encoding that Ed25519 (RFC 8032, node:crypto) signs. The hub's wire body is
 * `{"message": base64(bytes), "signature": base64(64-byte signature)}`.
 *
 * Encoding: UTF-8 JSON of a fixed-order array whose first element is a domain label (so a request can
 * never be replayed as an answer or the other way round). Decoding is strict — bounded size, every
 * field checked against a limit that the error names, and re-encoding must give back exactly the same
 * bytes — so one request has one encoding and its signature pins it.
 * @module
 */
import { createHash } from "node:crypto";
import { InputError } from "../../../engine/errors.js";
import { MAX_DATA_ITEMS } from "../provision-record.js";

/** Domain label of a request. */
export const REQUEST_LABEL = "myna-twin/exchange-request/v1";
/** Domain label of a provider's answer. */
export const ANSWER_LABEL = "myna-twin/exchange-answer/v1";
/** Largest canonical request message (bytes). */
export const MAX_MESSAGE_BYTES = 8192;
/** Longest id, institution, procedure or data-item string (characters). */
export const MAX_FIELD_CHARS = 128;
/** Most data items in one request. */
export const MAX_REQUEST_ITEMS = MAX_DATA_ITEMS;
/** Longest value of one answered data item (characters). */
export const MAX_VALUE_CHARS = 256;

/** A malformed request or answer; the hub answers it with 400 bad_request. */
export class ExchangeMessageError extends InputError {
  constructor(message: string) {
    super(message, "E_EXCHANGE_MESSAGE");
  }
}

/** The fields of one exchange request. */
export interface ExchangeRequestFields {
  readonly exchangeId: string;
  readonly requester: string;
  readonly provider: string;
  /** The requester's institution-specific code for the person (64 lowercase hex). */
  readonly requesterCode: string;
  readonly procedure: string;
  readonly dataItems: readonly string[];
  /** ms since the epoch. */
  readonly requestedAt: number;
}

/** The fields of a provider's signed answer. */
export interface ExchangeAnswerFields {
  readonly exchangeId: string;
  readonly requester: string;
  readonly provider: string;
  /** SHA-256 (hex) of the request message bytes answered. */
  readonly requestHash: string;
  /** item → value, in the request's item order. */
  readonly items: Readonly<Record<string, string>>;
  readonly providedAt: number;
}

const ID = /^[A-Za-z0-9._:/-]+$/;
const CODE = /^[0-9a-f]{64}$/;

function str(v: unknown, field: string, pattern: RegExp = ID, max = MAX_FIELD_CHARS): string {
  if (typeof v !== "string" || v.length === 0 || v.length > max)
    throw new ExchangeMessageError(`${field}: expected a string of 1..${max} characters`);
  if (!pattern.test(v))
    throw new ExchangeMessageError(
      `${field}: expected to match ${String(pattern)}, got ${JSON.stringify(v.slice(0, 80))}`,
    );
  return v;
}

function ms(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw new ExchangeMessageError(`${field}: expected ms since the epoch (a safe non-negative integer)`);
  return v;
}

function items(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_REQUEST_ITEMS)
    throw new ExchangeMessageError(`${field}: expected 1..${MAX_REQUEST_ITEMS} data items`);
  const out = v.map((d, i) => str(d, `${field}[${i}]`));
  if (new Set(out).size !== out.length) throw new ExchangeMessageError(`${field}: items repeat`);
  return out;
}

/** Checks the fields of a request; returns a frozen copy. @throws ExchangeMessageError */
export function validateRequest(r: ExchangeRequestFields): ExchangeRequestFields {
  return Object.freeze({
    exchangeId: str(r.exchangeId, "exchangeId"),
    requester: str(r.requester, "requester"),
    provider: str(r.provider, "provider"),
    requesterCode: str(r.requesterCode, "requesterCode", CODE, 64),
    procedure: str(r.procedure, "procedure"),
    dataItems: Object.freeze(items(r.dataItems, "dataItems")),
    requestedAt: ms(r.requestedAt, "requestedAt"),
  });
}

/** The canonical bytes of a request. @throws ExchangeMessageError */
export function encodeRequest(fields: ExchangeRequestFields): Uint8Array {
  const r = validateRequest(fields);
  const bytes = Buffer.from(
    JSON.stringify([
      REQUEST_LABEL,
      r.exchangeId,
      r.requester,
      r.provider,
      r.requesterCode,
      r.procedure,
      r.dataItems,
      r.requestedAt,
    ]),
    "utf8",
  );
  if (bytes.length > MAX_MESSAGE_BYTES)
    throw new ExchangeMessageError(`message: ${bytes.length} bytes, limit ${MAX_MESSAGE_BYTES}`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function parse(bytes: Uint8Array, limit: number): unknown {
  if (bytes.length === 0 || bytes.length > limit)
    throw new ExchangeMessageError(`message: expected 1..${limit} bytes, got ${bytes.length}`);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch (e) {
    throw new ExchangeMessageError(
      `message: not UTF-8 JSON (${e instanceof Error ? e.message.slice(0, 100) : String(e)})`,
    );
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Decodes canonical request bytes strictly. @throws ExchangeMessageError */
export function decodeRequest(bytes: Uint8Array): ExchangeRequestFields {
  const v = parse(bytes, MAX_MESSAGE_BYTES);
  if (!Array.isArray(v) || v.length !== 8 || v[0] !== REQUEST_LABEL)
    throw new ExchangeMessageError(`message: expected an array of 8 fields starting "${REQUEST_LABEL}"`);
  const r = validateRequest({
    exchangeId: v[1],
    requester: v[2],
    provider: v[3],
    requesterCode: v[4],
    procedure: v[5],
    dataItems: v[6],
    requestedAt: v[7],
  } as ExchangeRequestFields);
  if (!sameBytes(encodeRequest(r), bytes))
    throw new ExchangeMessageError("message: not in canonical encoding");
  return r;
}

/** SHA-256 hex of request bytes (what an answer names). */
export function requestHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The canonical bytes of a provider's answer. @throws ExchangeMessageError */
export function encodeAnswer(a: ExchangeAnswerFields): Uint8Array {
  const keys = Object.keys(a.items);
  items(keys, "items");
  const entries = keys.map((k) => [k, str(a.items[k], `items.${k}`, /^[\s\S]+$/, MAX_VALUE_CHARS)]);
  const bytes = Buffer.from(
    JSON.stringify([
      ANSWER_LABEL,
      str(a.exchangeId, "exchangeId"),
      str(a.requester, "requester"),
      str(a.provider, "provider"),
      str(a.requestHash, "requestHash", CODE, 64),
      entries,
      ms(a.providedAt, "providedAt"),
    ]),
    "utf8",
  );
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Decodes canonical answer bytes strictly. @throws ExchangeMessageError */
export function decodeAnswer(bytes: Uint8Array): ExchangeAnswerFields {
  const v = parse(bytes, 4 * MAX_MESSAGE_BYTES + MAX_REQUEST_ITEMS * MAX_VALUE_CHARS * 4);
  if (!Array.isArray(v) || v.length !== 7 || v[0] !== ANSWER_LABEL || !Array.isArray(v[5]))
    throw new ExchangeMessageError(`answer: expected an array of 7 fields starting "${ANSWER_LABEL}"`);
  const itemsObj: Record<string, string> = {};
  for (const e of v[5] as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== "string" || typeof e[1] !== "string")
      throw new ExchangeMessageError("answer items: expected [item, value] pairs");
    if (Object.hasOwn(itemsObj, e[0])) throw new ExchangeMessageError("answer items: items repeat");
    itemsObj[e[0]] = e[1];
  }
  const a: ExchangeAnswerFields = {
    exchangeId: v[1] as string,
    requester: v[2] as string,
    provider: v[3] as string,
    requestHash: v[4] as string,
    items: itemsObj,
    providedAt: v[6] as number,
  };
  if (!sameBytes(encodeAnswer(a), bytes)) throw new ExchangeMessageError("answer: not in canonical encoding");
  return a;
}
