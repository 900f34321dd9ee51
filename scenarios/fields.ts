/**
 * The scenario schema's shared field types (zod): calendar dates and local times checked by
 * engine/calendar.ts — the one date check — and shares in [0, 1]. Used by scenarios/schema.ts and the
 * auth, revocation and network blocks.
 * @module
 */
import { z } from "zod";
import { parseIsoDate, parseIsoDateTime } from "../engine/calendar.js";

function parses(parse: (s: string) => unknown): (s: string) => boolean {
  return (s) => {
    try {
      parse(s);
      return true;
    } catch {
      return false;
    }
  };
}

/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.string().refine(parses(parseIsoDate), "expected a date YYYY-MM-DD");

/** A local date and time, YYYY-MM-DDTHH:MM. */
export const isoDateTime = z
  .string()
  .refine(parses(parseIsoDateTime), "expected a local time YYYY-MM-DDTHH:MM");

/** A share between 0 and 1. */
export const share = z.number().finite().min(0).max(1);
