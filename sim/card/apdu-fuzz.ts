/**
 * Bounded mutation fuzzing of the card's APDU handler (DESIGN.md §9: every surface has a fixed-seed
 * fuzz test; issue 7). Inputs are drawn from the project's one small PRNG (engine/random
 * small-prng.ts, mulberry32): fully random byte strings, random headers with random length fields,
 * and mutations (bit flips, byte swaps, truncation, extension, length-byte edits, CLA/INS swaps) of a
 * corpus of well-formed commands to the JPKI AP, the 券面事項入力補助AP and the 券面事項確認AP —
 * including their card-face keys (照合番号A/B, birth-date key) and the blocked EF 0012 — (FACTS.md
 * §2). The oracle, for every input:
 *
 * - `transmit` returns normally, with at least two bytes: one status word at the end;
 * - the status word is one the card model defines (status-words.ts) — never 6F00, which would mean
 *   an exception was swallowed;
 * - data comes only with 9000 (or 6282 short reads), and never more than Ne bytes;
 * - only VERIFY (`20`) and CHANGE REFERENCE DATA (`24`) change the non-volatile state
 *   (`stateVersion`), which is what a file-backed card writes before answering.
 *
 * Used by sim/card/apdu-fuzz.test.ts (seconds) and bench/fuzz-apdu.ts (long mode).
 * @module
 */
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { parseCommand } from "./apdu.js";
import type { MyNumberCard } from "./card.js";
import { fromHex, toHex } from "./hex.js";
import { SW } from "./status-words.js";

/** Well-formed commands the mutations start from. */
export const APDU_CORPUS: readonly string[] = [
  "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", // SELECT JPKI AP
  "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08", // SELECT text AP
  "00 A4 02 0C 02 00 0A", // auth certificate
  "00 A4 02 0C 02 00 0B",
  "00 A4 02 0C 02 00 01", // sign certificate
  "00 A4 02 0C 02 00 06", // token info
  "00 A4 02 0C 02 00 18", // auth PIN
  "00 A4 02 0C 02 00 1B", // sign password
  "00 A4 02 0C 02 00 11", // text PIN
  "00 A4 02 0C 02 00 17", // auth key
  "00 A4 02 0C 02 00 1A", // sign key
  "00 B0 00 00 04",
  "00 B0 00 04 00",
  "00 B0 00 00 00",
  "00 20 00 80",
  "00 20 00 80 04 31 32 33 34",
  "00 20 00 80 04 30 30 30 30",
  "00 20 00 80 09 41 42 43 31 32 33 58 59 5A",
  "00 24 01 80 04 39 38 37 36",
  "80 2A 00 80 33 30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 41 9B B4 B0 3F B4 D1 13 AF 95 9E 3D 59 D8 BF 61 D9 1A 83 27 C0 39 F2 54 89 DB 5E DB 77 07 D1 E3 00",
  "0C A4 04 0C 00",
  "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02", // SELECT 券面事項確認AP
  "00 A4 04 0C 09 D3 92 10 00 31 00 01 01 04", // SELECT by a prefix shared by both 券面 APs
  "00 A4 02 0C 02 00 03", // text integrity record / surface AP information
  "00 A4 02 0C 02 00 05", // text AP information / surface My Number
  "00 A4 02 0C 02 00 08",
  "00 A4 02 0C 02 00 12", // text blocked key / surface 照合番号B
  "00 A4 02 0C 02 00 13", // surface 照合番号A
  "00 A4 02 0C 02 00 14", // text 照合番号A
  "00 A4 02 0C 02 00 15", // text 照合番号B
  "00 20 00 80 06 30 32 30 32 31 37", // birth-date key 020217
  "00 20 00 80 0C 31 32 33 34 35 36 37 38 39 30 31 38", // 照合番号A (the fixture's My Number)
  "00 20 00 80 0E 30 32 30 32 31 37 32 30 33 35 34 33 32 31", // a 14-digit 照合番号B
  "00 24 01 80 0E 30 32 30 32 31 37 32 30 33 35 34 33 32 31",
  "00 B0 85 00 00", // READ BINARY by short EF identifier 05
];

/** Every status word the card model may answer (63Cx and 6Cxx are families). */
export function isKnownStatusWord(sw: number): boolean {
  if ((sw & 0xfff0) === SW.VERIFY_FAILED_BASE) return true;
  if ((sw & 0xff00) === SW.WRONG_LE_BASE) return true;
  return (
    sw !== SW.NO_DIAGNOSIS &&
    Object.values(SW).includes(sw as (typeof SW)[keyof typeof SW]) &&
    sw !== SW.VERIFY_FAILED_BASE &&
    sw !== SW.WRONG_LE_BASE
  );
}

/** Generator of fuzz inputs from one seed. */
export class ApduFuzzer {
  readonly #rnd: () => number;
  readonly #corpus: Uint8Array[];

  constructor(seed: number) {
    this.#rnd = mulberry32(seed);
    this.#corpus = APDU_CORPUS.map(fromHex);
  }

  #int(n: number): number {
    return randomInt(this.#rnd, n);
  }

  #bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#int(256);
    return out;
  }

  /** A well-formed corpus command. */
  corpus(): Uint8Array {
    return Uint8Array.from(this.#corpus[this.#int(this.#corpus.length)]!);
  }

  /** The next input: 20 % random bytes, 20 % random header + length fields, 60 % a mutated (or intact) corpus command. */
  next(): Uint8Array {
    const kind = this.#int(10);
    if (kind < 2) return this.#bytes(this.#int(kind === 0 ? 8 : 300));
    if (kind < 4) {
      const header = [[0x00, 0x80, 0x08, 0x0c][this.#int(4)]!, [0xa4, 0xb0, 0x20, 0x24, 0x2a][this.#int(5)]!];
      const lc = this.#int(3) === 0 ? this.#int(256) : this.#int(12);
      const body = this.#bytes(this.#int(3) === 0 ? this.#int(270) : lc);
      const le = this.#int(2) === 0 ? [this.#int(256)] : [];
      return Uint8Array.of(...header, this.#int(256), this.#int(256), lc, ...body, ...le);
    }
    let a = this.corpus();
    const rounds = this.#int(4);
    for (let r = 0; r < rounds; r++) a = this.#mutate(a);
    return a;
  }

  #mutate(a: Uint8Array): Uint8Array {
    const n = a.length;
    switch (this.#int(7)) {
      case 0: {
        if (n === 0) return a;
        const out = Uint8Array.from(a);
        out[this.#int(n)]! ^= 1 << this.#int(8);
        return out;
      }
      case 1: {
        if (n === 0) return a;
        const out = Uint8Array.from(a);
        out[this.#int(n)] = this.#int(256);
        return out;
      }
      case 2:
        return a.subarray(0, this.#int(n + 1));
      case 3:
        return Uint8Array.of(...a, ...this.#bytes(1 + this.#int(8)));
      case 4: {
        if (n < 5) return a;
        const out = Uint8Array.from(a);
        out[4] = [0, 1, 0xff, (out[4]! + 1) & 0xff, (out[4]! - 1) & 0xff][this.#int(5)]!;
        return out;
      }
      case 5: {
        if (n < 2) return a;
        const out = Uint8Array.from(a);
        out[this.#int(2)] = [0x00, 0x80, 0x08, 0x0c, 0xff, 0x20, 0x24, 0xa4, 0xb0, 0x2a][this.#int(10)]!;
        return out;
      }
      default: {
        if (n < 4) return a;
        const out = Uint8Array.from(a);
        out[2 + this.#int(2)] = this.#int(256);
        return out;
      }
    }
  }
}

/** Counts of one fuzz run. */
export interface ApduFuzzReport {
  /** Inputs sent. */
  inputs: number;
  /** How often each status word (SW1SW2 hex) was answered. */
  statusWords: Map<string, number>;
  /** Inputs that changed the card's non-volatile state. */
  stateChanges: number;
  /** Oracle violations, with the input (first 10 kept). */
  failures: string[];
  /** Number of violations. */
  failureCount: number;
}

/**
 * Send `count` fuzz inputs of `seed` to cards from `newCard` (a fresh card every `cardLife` inputs,
 * so blocked PINs do not hide the paths behind them) and check the oracle of the module doc.
 */
export function fuzzApdus(
  newCard: () => MyNumberCard,
  seed: number,
  count: number,
  cardLife = 500,
): ApduFuzzReport {
  const fuzzer = new ApduFuzzer(seed);
  const report: ApduFuzzReport = {
    inputs: 0,
    statusWords: new Map(),
    stateChanges: 0,
    failures: [],
    failureCount: 0,
  };
  const failed = (apdu: Uint8Array, why: string): void => {
    report.failureCount++;
    if (report.failures.length < 10) report.failures.push(`${toHex(apdu)} → ${why}`);
  };
  let card = newCard();
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % cardLife === 0) card = newCard();
    const apdu = fuzzer.next();
    const before = card.stateVersion;
    let response: Uint8Array;
    try {
      response = card.transmit(apdu);
    } catch (e) {
      failed(apdu, `threw ${String(e)}`);
      continue;
    }
    report.inputs++;
    if (response.length < 2) {
      failed(apdu, `response of ${response.length} bytes`);
      continue;
    }
    const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
    const name = toHex(response.subarray(response.length - 2), "");
    report.statusWords.set(name, (report.statusWords.get(name) ?? 0) + 1);
    if (!isKnownStatusWord(sw)) failed(apdu, `status word ${name}`);
    const dataLength = response.length - 2;
    if (dataLength > 0) {
      const parsed = parseCommand(apdu);
      const ne = parsed.ok ? parsed.command.ne : undefined;
      if (sw !== SW.OK && sw !== SW.END_OF_FILE) failed(apdu, `${dataLength} data bytes with ${name}`);
      else if (ne === undefined || dataLength > ne) failed(apdu, `${dataLength} data bytes, Ne ${ne}`);
    }
    if (card.stateVersion !== before) {
      report.stateChanges++;
      const ins = apdu[1];
      if (ins !== 0x20 && ins !== 0x24)
        failed(apdu, "non-volatile state changed by a command other than VERIFY / CHANGE");
    }
  }
  return report;
}
