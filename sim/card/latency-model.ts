/**
 * Card-side latency model: the simulated time an APDU exchange would take on a real contactless
 * My Number card, kept apart from the real compute our CPU does (DESIGN.md §5 card/, §6). Pure:
 * it returns durations in milliseconds and never sleeps or reads a clock.
 *
 * Transfer follows ISO/IEC 14443-2/-3 Type B framing (FACTS.md §2: the card is Type B) and the
 * ISO/IEC 14443-4 block protocol: one elementary time unit (etu) = 128 / (D × 13.56 MHz) for bit
 * rates 106·D kbit/s; a character is start + 8 data + stop = 10 etu (+ extra guard time); a frame
 * adds SOF and EOF; a block adds the PCB prologue and a 2-byte CRC_B; APDUs longer than the frame
 * size are chained, each chained block acknowledged by an R(ACK) block. Waiting-time-extension
 * S-blocks are not counted.
 *
 * Chip compute times are **documented assumptions, not measurements**: FACTS.md §6 lists on-card
 * RSA-2048 signing time among the figures not published. The defaults are typical of smart-card
 * crypto coprocessors (an RSA-2048 CRT private-key operation of a few hundred ms, EEPROM writes of
 * a few ms for PIN counters); override them from a scenario when measured values exist.
 * @module
 */
import { parseCommand } from "./apdu.js";

/** ISO/IEC 14443 bit rates, kbit/s. */
export type BitRate = 106 | 212 | 424 | 848;

/** Chip compute times per command type, milliseconds. */
export interface ChipComputeMs {
  /** SELECT by AID or EF. */
  readonly select: number;
  /** READ BINARY, fixed part. */
  readonly readBinary: number;
  /** READ BINARY, per byte returned (non-volatile memory read). */
  readonly readBinaryPerByte: number;
  /** VERIFY with a value (compare + retry-counter write), whatever the outcome. */
  readonly verify: number;
  /** VERIFY without data (tries-left query). */
  readonly verifyQuery: number;
  /** CHANGE REFERENCE DATA (non-volatile write). */
  readonly changeReferenceData: number;
  /** COMPUTE DIGITAL SIGNATURE with an RSA-2048 key (scaled by (bits/2048)^3 for other sizes). */
  readonly signRsa2048: number;
  /** Any command answered with an error status (checks only). */
  readonly error: number;
}

/** Parameters of the latency model. */
export interface LatencyParams {
  /** Contactless bit rate, kbit/s. */
  readonly bitRateKbps: BitRate;
  /** Maximum frame size (FSC/FSD) in bytes, prologue and CRC included. */
  readonly frameSize: number;
  /** Block prologue bytes (PCB, plus CID/NAD if used). */
  readonly prologueBytes: number;
  /** Extra guard time per character, etu. */
  readonly extraGuardEtu: number;
  /** SOF + EOF per frame, etu (SOF 10–11 low + 2–3 high, EOF 10–11 low). */
  readonly sofEofEtu: number;
  /** Gap per frame (frame delay / PICC turnaround TR0 + TR1), µs. */
  readonly frameGapUs: number;
  /** Reader and host-stack overhead per APDU (PC/SC, USB), ms. */
  readonly hostOverheadMs: number;
  /** Chip compute times. */
  readonly compute: ChipComputeMs;
}

/** Default parameters: 424 kbit/s, 256-byte frames, RSA-2048 signing 300 ms (assumed; see module note). */
export const DEFAULT_LATENCY: LatencyParams = {
  bitRateKbps: 424,
  frameSize: 256,
  prologueBytes: 1,
  extraGuardEtu: 0,
  sofEofEtu: 23,
  frameGapUs: 100,
  hostOverheadMs: 1,
  compute: {
    select: 2,
    readBinary: 2,
    readBinaryPerByte: 0.004,
    verify: 12,
    verifyQuery: 1,
    changeReferenceData: 20,
    signRsa2048: 300,
    error: 0.5,
  },
};

/** What kind of work an exchange was, for costing. */
export type ExchangeKind =
  "select" | "read-binary" | "verify" | "verify-query" | "change-reference-data" | "sign" | "error";

/** Simulated duration of one APDU exchange. */
export interface ExchangeTiming {
  /** Work classification. */
  readonly kind: ExchangeKind;
  /** Time on air, both directions, ms. */
  readonly transferMs: number;
  /** Chip compute, ms. */
  readonly computeMs: number;
  /** Reader/host overhead, ms. */
  readonly hostMs: number;
  /** Sum, ms. */
  readonly totalMs: number;
}

/** Duration of one elementary time unit, µs. */
export function etuMicros(bitRate: BitRate): number {
  return (128 / ((bitRate / 106) * 13.56e6)) * 1e6;
}

/**
 * Time on air to move `apduBytes` in one direction, chaining included, µs. Each chained block costs
 * a frame in the other direction for its R(ACK).
 */
export function transferMicros(apduBytes: number, p: LatencyParams = DEFAULT_LATENCY): number {
  const etu = etuMicros(p.bitRateKbps);
  const overhead = p.prologueBytes + 2;
  const payload = Math.max(1, p.frameSize - overhead);
  const blocks = Math.max(1, Math.ceil(apduBytes / payload));
  const charEtu = 10 + p.extraGuardEtu;
  const dataFrames =
    (blocks * p.sofEofEtu + (apduBytes + blocks * overhead) * charEtu) * etu + blocks * p.frameGapUs;
  const acks = (blocks - 1) * ((p.sofEofEtu + overhead * charEtu) * etu + p.frameGapUs);
  return dataFrames + acks;
}

function classify(command: Uint8Array, response: Uint8Array): { kind: ExchangeKind; dataBytes: number } {
  const n = response.length;
  const sw = n >= 2 ? ((response[n - 2] as number) << 8) | (response[n - 1] as number) : 0x6f00;
  const dataBytes = Math.max(0, n - 2);
  const parsed = parseCommand(command);
  if (!parsed.ok) return { kind: "error", dataBytes };
  const { cla, ins, data } = parsed.command;
  const ok = sw === 0x9000;
  if (cla === 0x00 && ins === 0xa4 && ok) return { kind: "select", dataBytes };
  if (cla === 0x00 && ins === 0xb0 && ok) return { kind: "read-binary", dataBytes };
  if (cla === 0x00 && ins === 0x20) {
    if (data.length === 0 && (sw & 0xfff0) === 0x63c0) return { kind: "verify-query", dataBytes };
    if (ok || (sw & 0xfff0) === 0x63c0) return { kind: "verify", dataBytes };
  }
  if (cla === 0x00 && ins === 0x24 && ok) return { kind: "change-reference-data", dataBytes };
  if (cla === 0x80 && ins === 0x2a && ok) return { kind: "sign", dataBytes };
  return { kind: "error", dataBytes };
}

/**
 * Simulated duration of one exchange, from its command and response bytes.
 * @param command the command APDU sent
 * @param response the response APDU received (its status word decides the work done)
 */
export function exchangeTiming(
  command: Uint8Array,
  response: Uint8Array,
  p: LatencyParams = DEFAULT_LATENCY,
): ExchangeTiming {
  const { kind, dataBytes } = classify(command, response);
  const c = p.compute;
  let computeMs: number;
  switch (kind) {
    case "select":
      computeMs = c.select;
      break;
    case "read-binary":
      computeMs = c.readBinary + c.readBinaryPerByte * dataBytes;
      break;
    case "verify":
      computeMs = c.verify;
      break;
    case "verify-query":
      computeMs = c.verifyQuery;
      break;
    case "change-reference-data":
      computeMs = c.changeReferenceData;
      break;
    case "sign":
      computeMs = c.signRsa2048 * Math.pow(dataBytes / 256, 3);
      break;
    case "error":
      computeMs = c.error;
      break;
  }
  const transferMs = (transferMicros(command.length, p) + transferMicros(response.length, p)) / 1000;
  const hostMs = p.hostOverheadMs;
  return { kind, transferMs, computeMs, hostMs, totalMs: transferMs + computeMs + hostMs };
}

/** Totals of a transcript. */
export interface TranscriptTiming {
  /** Per exchange, in order. */
  readonly exchanges: readonly ExchangeTiming[];
  /** Sum of `totalMs`. */
  readonly totalMs: number;
  /** Sum of `transferMs`. */
  readonly transferMs: number;
  /** Sum of `computeMs`. */
  readonly computeMs: number;
}

/** Simulated duration of a sequence of exchanges (e.g. the FACTS.md §2.6 authentication flow). */
export function transcriptTiming(
  exchanges: readonly (readonly [command: Uint8Array, response: Uint8Array])[],
  p: LatencyParams = DEFAULT_LATENCY,
): TranscriptTiming {
  const timings = exchanges.map(([c, r]) => exchangeTiming(c, r, p));
  const sum = (f: (t: ExchangeTiming) => number) => timings.reduce((s, t) => s + f(t), 0);
  return {
    exchanges: timings,
    totalMs: sum((t) => t.totalMs),
    transferMs: sum((t) => t.transferMs),
    computeMs: sum((t) => t.computeMs),
  };
}
