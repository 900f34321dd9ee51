import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { isInputError } from "../../engine/errors.js";
import { decodeRecord, encodeRecord, MAX_RECORD_BYTES, type ProvisionRecord } from "./provision-record.js";

const T = Date.UTC(2025, 5, 2, 10, 30);
const base: ProvisionRecord = {
  exchangeId: "ex-000001",
  side: "requester",
  requester: "municipality-0131",
  provider: "japan-pension-service",
  personCode: "ab".repeat(32),
  procedure: "nursing-care/premium-stage",
  dataItems: ["pension/benefit-amount", "pension/old-age-benefit"],
  requestedAt: T,
  providedAt: T + 850,
};

function randomRecord(rnd: () => number, i: number): ProvisionRecord {
  const hex = Array.from({ length: 64 }, () => "0123456789abcdef"[randomInt(rnd, 16)]).join("");
  const requestedAt = T + randomInt(rnd, 1e9);
  return {
    exchangeId: `ex-${i}-${randomInt(rnd, 1e9)}`,
    side: randomInt(rnd, 2) === 0 ? "requester" : "provider",
    requester: `municipality-${randomInt(rnd, 1741)}`,
    provider: "japan-pension-service",
    personCode: hex,
    procedure: `proc/${"x".repeat(randomInt(rnd, 40))}`,
    dataItems: Array.from({ length: 1 + randomInt(rnd, 8) }, (_, k) => `item/${k}-${randomInt(rnd, 100)}`),
    requestedAt,
    providedAt: randomInt(rnd, 5) === 0 ? null : requestedAt + randomInt(rnd, 10_000),
  };
}

describe("provision records: canonical msgpack encoding", () => {
  it("round-trips 2,000 random records, one encoding each", () => {
    const rnd = mulberry32(2300);
    for (let i = 0; i < 2000; i++) {
      const r = randomRecord(rnd, i);
      const bytes = encodeRecord(r);
      expect(bytes.length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
      const back = decodeRecord(bytes);
      expect(back).toEqual(r);
      expect(Buffer.from(encodeRecord(back)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it("field order is fixed: the same record built in another key order encodes identically", () => {
    const shuffled = Object.fromEntries(Object.entries(base).reverse()) as unknown as ProvisionRecord;
    expect(Buffer.from(encodeRecord(shuffled)).toString("hex")).toBe(
      Buffer.from(encodeRecord(base)).toString("hex"),
    );
  });

  it("refuses invalid fields with one clear message", () => {
    const bad: [Partial<Record<keyof ProvisionRecord, unknown>>, RegExp][] = [
      [{ side: "both" }, /side: expected "requester" or "provider"/],
      [{ personCode: "123456789012" }, /personCode: expected to match/],
      [{ dataItems: [] }, /dataItems: expected 1..64 items/],
      [{ dataItems: Array.from({ length: 65 }, () => "x") }, /dataItems/],
      [{ requestedAt: -1 }, /requestedAt: expected ms since the epoch/],
      [{ providedAt: T - 1 }, /providedAt: expected no earlier than requestedAt/],
      [{ requester: "" }, /requester: expected a string of 1..128/],
      [{ procedure: "p".repeat(129) }, /procedure/],
    ];
    for (const [patch, msg] of bad) {
      expect(() => encodeRecord({ ...base, ...patch } as ProvisionRecord)).toThrowError(msg);
    }
    // within field limits but over the size limit
    const big = { ...base, dataItems: Array.from({ length: 64 }, (_, i) => `${i}`.padEnd(128, "y")) };
    expect(() => encodeRecord(big)).toThrowError(/bytes encoded, limit 4096/);
  });

  it("refuses non-canonical, truncated, oversized and trailing-byte inputs", () => {
    const bytes = encodeRecord(base);
    expect(bytes[0]).toBe(0x9a); // fixarray of 10
    expect(bytes[1]).toBe(0x01); // version as positive fixint
    const wide = Uint8Array.from([0x9a, 0xcc, 0x01, ...bytes.subarray(2)]); // version as uint8: same value, other bytes
    expect(() => decodeRecord(wide)).toThrowError(/not in canonical encoding/);
    expect(() => decodeRecord(bytes.subarray(0, bytes.length - 3))).toThrowError(
      expect.objectContaining({ code: "E_RECORD_FORMAT" }),
    );
    expect(() => decodeRecord(Uint8Array.from([...bytes, 0x00]))).toThrowError(
      /provision record: not msgpack/,
    );
    expect(() => decodeRecord(new Uint8Array(MAX_RECORD_BYTES + 1))).toThrowError(/expected 1..4096 bytes/);
    expect(() => decodeRecord(new Uint8Array(0))).toThrowError(/expected 1..4096 bytes/);
    const v2 = Uint8Array.from(bytes);
    v2[1] = 0x02;
    expect(() => decodeRecord(v2)).toThrowError(/version: expected 1/);
  });

  it("mutation fuzz: 10,000 byte-level mutations either decode to a valid canonical record or raise a typed input error", () => {
    const rnd = mulberry32(909);
    const seeds = Array.from({ length: 20 }, (_, i) => encodeRecord(randomRecord(rnd, i)));
    let refused = 0;
    for (let t = 0; t < 10_000; t++) {
      const src = seeds[randomInt(rnd, seeds.length)]!;
      const m = Uint8Array.from(src);
      const kind = randomInt(rnd, 3);
      if (kind === 0) m[randomInt(rnd, m.length)] = randomInt(rnd, 256);
      const input =
        kind === 1
          ? m.subarray(0, randomInt(rnd, m.length))
          : kind === 2
            ? Uint8Array.from([...m, randomInt(rnd, 256)])
            : m;
      try {
        const rec = decodeRecord(input);
        expect(Buffer.from(encodeRecord(rec)).equals(Buffer.from(input))).toBe(true);
      } catch (e) {
        expect(isInputError(e) && (e as { code: string }).code === "E_RECORD_FORMAT").toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(5_000);
  });
});
