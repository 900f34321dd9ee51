/**
 * The per-card record of the highest write generation seen (rollback refusal, card-file.ts): one
 * small file `<stateDir>/<cardId>.gen` holding `{"cardId", "generation"}`, written with the same
 * durable discipline as the card file (durable-file.ts). A card file whose sealed generation is
 * lower than this record is an old copy and is refused.
 *
 * The record is plain text and is not a secret; it only ever moves forward. What it cannot do
 * (docs/jpki.md): deleting or editing it, or deleting it together with the card, is not detectable —
 * a real card's secure element has no such file, its counter simply is the card.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurably } from "./durable-file.js";
import { CardFileError } from "./errors.js";

/** The record file of `cardId` in `stateDir`. */
export function generationRecordFile(stateDir: string, cardId: string): string {
  return join(stateDir, `${cardId}.gen`);
}

/**
 * The highest generation recorded for `cardId`, 0 when there is no record yet.
 * @throws CardFileError when the record exists but is not one this program wrote
 */
export function readGeneration(stateDir: string, cardId: string): number {
  const file = generationRecordFile(stateDir, cardId);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw new CardFileError(
      `generation record ${file}: cannot read it (${(e as NodeJS.ErrnoException).code})`,
      {
        cause: e,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const o = parsed as { cardId?: unknown; generation?: unknown } | undefined;
  if (
    typeof o !== "object" ||
    o === null ||
    o.cardId !== cardId ||
    !Number.isSafeInteger(o.generation) ||
    (o.generation as number) < 0
  )
    throw new CardFileError(
      `generation record ${file}: expected {"cardId": "${cardId}", "generation": N}; it was altered`,
    );
  return o.generation as number;
}

/** Record `generation` for `cardId`, durably. */
export function writeGeneration(stateDir: string, cardId: string, generation: number): void {
  writeFileDurably(generationRecordFile(stateDir, cardId), `${JSON.stringify({ cardId, generation })}\n`);
}
