/**
 * Bounded mutation fuzzing of card-file loading (DESIGN.md §9; issue 7): bit flips, byte
 * replacements, truncations and insertions of a saved card file, drawn from the project's one small
 * PRNG (engine/random small-prng.ts). The oracle: `loadCard` either refuses the bytes with a typed
 * error (`CardFileError` or `CardPassphraseError`, both InputErrors) or — when a mutation lands where
 * the encodings absorb it, such as the unused low bits of a base64 tail — returns the very same
 * card. Used by sim/card/card-store.test.ts and bench/fuzz-apdu.ts (long mode).
 * @module
 */
import { InputError } from "../../engine/errors.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { MyNumberCard } from "./card.js";
import { loadCard } from "./card-store.js";

/** Counts of one run. */
export interface CardFileFuzzReport {
  /** Mutated files tried. */
  inputs: number;
  /** Refusals by error code. */
  refused: Map<string, number>;
  /** Mutations that still loaded as the same card. */
  absorbed: number;
  /** Oracle violations (first 10 kept). */
  failures: string[];
  /** Number of violations. */
  failureCount: number;
}

/** One mutation of `bytes`. */
export function mutateFile(bytes: Uint8Array, rnd: () => number): Uint8Array {
  const m = Uint8Array.from(bytes);
  const at = randomInt(rnd, m.length);
  switch (randomInt(rnd, 4)) {
    case 0:
      m[at] = m[at]! ^ (1 << randomInt(rnd, 8));
      return m;
    case 1:
      m[at] = randomInt(rnd, 256);
      return m;
    case 2:
      return m.subarray(0, at);
    default:
      return Uint8Array.of(...m.subarray(0, at), randomInt(rnd, 256), ...m.subarray(at));
  }
}

/** Load `count` mutations of `bytes` (a saved `card`) and check the oracle of the module doc. */
export function fuzzCardFile(
  card: MyNumberCard,
  bytes: Uint8Array,
  passphrase: string,
  seed: number,
  count: number,
): CardFileFuzzReport {
  const rnd = mulberry32(seed);
  const report: CardFileFuzzReport = {
    inputs: 0,
    refused: new Map(),
    absorbed: 0,
    failures: [],
    failureCount: 0,
  };
  const failed = (i: number, why: string) => {
    report.failureCount++;
    if (report.failures.length < 10) report.failures.push(`mutation ${i}: ${why}`);
  };
  for (let i = 0; i < count; i++) {
    const input = mutateFile(bytes, rnd);
    report.inputs++;
    let loaded: MyNumberCard;
    try {
      loaded = loadCard(input, passphrase);
    } catch (e) {
      const code = e instanceof InputError ? e.code : undefined;
      if (code !== "E_CARD_FILE" && code !== "E_CARD_PASSPHRASE") failed(i, `untyped error ${String(e)}`);
      else report.refused.set(code, (report.refused.get(code) ?? 0) + 1);
      continue;
    }
    const same =
      loaded.cardId === card.cardId &&
      loaded.locked === card.locked &&
      (["auth", "sign", "text"] as const).every((k) => loaded.triesLeft(k) === card.triesLeft(k));
    if (same) report.absorbed++;
    else failed(i, "loaded as a different card state");
  }
  return report;
}
