/**
 * The hub's signed messages (exchange-message.ts): canonical request and answer bytes round-trip,
 * every limit is named in its error, and a seeded fuzz of mutated, truncated and spliced request
 * bytes either decodes to a request whose canonical encoding is exactly those bytes or throws the
 * typed E_EXCHANGE_MESSAGE — never anything else.
 */
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import {
  decodeAnswer,
  decodeRequest,
  encodeAnswer,
  encodeRequest,
  MAX_FIELD_CHARS,
  MAX_REQUEST_ITEMS,
  type ExchangeRequestFields,
} from "./exchange-message.js";

const REQ: ExchangeRequestFields = {
  exchangeId: "ex-1",
  requester: "municipality-0001",
  provider: "japan-pension-service",
  requesterCode: "0123456789abcdef".repeat(4),
  procedure: "local-tax/assessment",
  dataItems: ["pension/old-age-benefit", "pension/disability-benefit"],
  requestedAt: Date.UTC(2026, 3, 1),
};

describe("exchange messages", () => {
  it("round-trip canonically (request and answer)", () => {
    const bytes = encodeRequest(REQ);
    expect(decodeRequest(bytes)).toEqual(REQ);
    const answer = {
      exchangeId: "ex-1",
      requester: REQ.requester,
      provider: REQ.provider,
      requestHash: "ab".repeat(32),
      items: { "pension/old-age-benefit": "352000 JPY", "pension/disability-benefit": "no" },
      providedAt: REQ.requestedAt + 5,
    };
    expect(decodeAnswer(encodeAnswer(answer))).toEqual(answer);
  });

  it("names each limit", () => {
    const bad = (over: Partial<ExchangeRequestFields>) => () => encodeRequest({ ...REQ, ...over });
    expect(bad({ dataItems: [] })).toThrowError(new RegExp(`1..${MAX_REQUEST_ITEMS} data items`));
    expect(bad({ dataItems: ["a", "a"] })).toThrowError(/items repeat/);
    expect(bad({ exchangeId: "x".repeat(MAX_FIELD_CHARS + 1) })).toThrowError(
      new RegExp(`exchangeId: expected a string of 1..${MAX_FIELD_CHARS} characters`),
    );
    expect(bad({ requesterCode: "AB".repeat(32) })).toThrowError(/requesterCode: expected to match/);
    expect(bad({ requestedAt: -1 })).toThrowError(/requestedAt: expected ms since the epoch/);
    expect(bad({ provider: "a b" })).toThrowError(/provider: expected to match/);
  });

  it("fuzz: 3000 mutated requests (seed 1201) decode canonically or throw E_EXCHANGE_MESSAGE", () => {
    const rnd = mulberry32(1201);
    const base = encodeRequest(REQ);
    const alphabet = Buffer.from('[]{}",:0123456789abcdefxyz-/\\ \u00e9nul', "utf8");
    let decoded = 0;
    for (let n = 0; n < 3000; n++) {
      const b = Buffer.from(base);
      let m: Buffer = b;
      switch (randomInt(rnd, 4)) {
        case 0:
          for (let k = 1 + randomInt(rnd, 3); k > 0; k--)
            b[randomInt(rnd, b.length)] = alphabet[randomInt(rnd, alphabet.length)]!;
          break;
        case 1:
          m = b.subarray(0, randomInt(rnd, b.length));
          break;
        case 2: {
          const at = randomInt(rnd, b.length);
          m = Buffer.concat([
            b.subarray(0, at),
            Buffer.from([alphabet[randomInt(rnd, alphabet.length)]!]),
            b.subarray(at),
          ]);
          break;
        }
        default: {
          const at = randomInt(rnd, b.length);
          m = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + randomInt(rnd, 8))]);
        }
      }
      try {
        const r = decodeRequest(new Uint8Array(m));
        expect(Buffer.compare(encodeRequest(r), m)).toBe(0);
        decoded++;
      } catch (e) {
        expect((e as { code?: string }).code, String(e)).toBe("E_EXCHANGE_MESSAGE");
      }
    }
    expect(decoded).toBeGreaterThan(0); // some mutations stay valid (a changed id digit) and are canonical
  });
});
