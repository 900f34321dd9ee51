import { describe, expect, it } from "vitest";
import {
  DEFAULT_LATENCY,
  etuMicros,
  exchangeTiming,
  transcriptTiming,
  transferMicros,
} from "./latency-model.js";
import type { LatencyParams } from "./latency-model.js";
import { fromHex } from "./hex.js";

const ok = (n: number) => Uint8Array.from([...new Uint8Array(n).fill(0x30), 0x90, 0x00]);

/** The FACTS §2.6 authentication flow with a 1,583-byte certificate, as (command, response) pairs. */
function authFlow(): [Uint8Array, Uint8Array][] {
  const flow: [Uint8Array, Uint8Array][] = [
    [fromHex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"), ok(0)],
    [fromHex("00 A4 02 0C 02 00 0A"), ok(0)],
    [fromHex("00 B0 00 00 04"), ok(4)],
  ];
  for (let off = 4; off < 1583; off += 256) {
    flow.push([Uint8Array.of(0, 0xb0, off >> 8, off & 0xff, 0), ok(Math.min(256, 1583 - off))]);
  }
  flow.push(
    [fromHex("00 A4 02 0C 02 00 18"), ok(0)],
    [fromHex("00 20 00 80"), fromHex("63 C3")],
    [fromHex("00 20 00 80 04 31 32 33 34"), ok(0)],
    [fromHex("00 A4 02 0C 02 00 17"), ok(0)],
    [Uint8Array.from([0x80, 0x2a, 0x00, 0x80, 0x33, ...new Uint8Array(0x33), 0x00]), ok(256)],
  );
  return flow;
}

describe("card-side latency model", () => {
  it("uses ISO 14443 etu = 128 / (D × 13.56 MHz)", () => {
    expect(etuMicros(106)).toBeCloseTo(9.4395, 3);
    expect(etuMicros(424)).toBeCloseTo(2.3599, 3);
    // 5 bytes at 106 kbit/s: SOF/EOF 23 etu + (5 + PCB + CRC) × 10 etu, plus the frame gap.
    const p: LatencyParams = { ...DEFAULT_LATENCY, bitRateKbps: 106 };
    expect(transferMicros(5, p)).toBeCloseTo((23 + 8 * 10) * etuMicros(106) + 100, 6);
  });

  it("chains APDUs longer than a frame, with an R(ACK) per chained block", () => {
    const one = transferMicros(253);
    const two = transferMicros(254);
    const etu = etuMicros(DEFAULT_LATENCY.bitRateKbps);
    // The second block adds SOF/EOF, its own PCB+CRC and one byte, a gap, and an ACK frame.
    expect(two - one).toBeCloseTo((23 + 3 * 10 + 10) * etu + 100 + ((23 + 30) * etu + 100), 6);
  });

  it("classifies by command and status: a failed command costs only checks", () => {
    const sign = exchangeTiming(fromHex("80 2A 00 80 01 00 00"), ok(256));
    expect(sign.kind).toBe("sign");
    expect(sign.computeMs).toBe(300);
    expect(exchangeTiming(fromHex("80 2A 00 80 01 00 00"), fromHex("69 82")).kind).toBe("error");
    expect(exchangeTiming(fromHex("00 20 00 80"), fromHex("63 C3")).kind).toBe("verify-query");
    expect(exchangeTiming(fromHex("00 20 00 80 04 30 30 30 30"), fromHex("63 C2")).kind).toBe("verify");
    expect(exchangeTiming(fromHex("00 20 00 80 04 30 30 30 30"), fromHex("69 84")).kind).toBe("error");
    expect(exchangeTiming(fromHex("00 24 01 80 04 30 30 30 30"), ok(0)).kind).toBe("change-reference-data");
    expect(exchangeTiming(fromHex("FF"), fromHex("67 00")).kind).toBe("error");
    // RSA-1024 signing scales by (bits/2048)^3.
    expect(exchangeTiming(fromHex("80 2A 00 80 01 00 00"), ok(128)).computeMs).toBeCloseTo(37.5, 9);
  });

  it("times the FACTS §2.6 authentication flow: signing dominates, well inside the 20 s iOS budget", () => {
    const t = transcriptTiming(authFlow());
    expect(t.exchanges.length).toBe(15);
    expect(t.exchanges.filter((e) => e.kind === "read-binary").length).toBe(8);
    expect(t.computeMs).toBeGreaterThan(300);
    expect(t.totalMs).toBeLessThan(1000);
    expect(t.totalMs).toBeCloseTo(
      t.exchanges.reduce((s, e) => s + e.totalMs, 0),
      9,
    );
    const slow = transcriptTiming(authFlow(), { ...DEFAULT_LATENCY, bitRateKbps: 106 });
    expect(slow.transferMs).toBeLessThan(t.transferMs * 4);
    expect(slow.transferMs).toBeGreaterThan(t.transferMs * 3);
    // Pure: same input, same answer.
    expect(transcriptTiming(authFlow())).toEqual(t);
  });
});
