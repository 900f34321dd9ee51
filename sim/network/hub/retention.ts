/**
 * Retention of provision records (情報提供等記録 are kept 7 years: My Number Act art. 23, 施行令
 * art. 30; FACTS §5.5): deletes the bytes of records provided more than 7 years before `now`. Their
 * leaf hashes stay, so every inclusion and consistency proof and the signed root still verify; the
 * portal shows such a record as removed by retention (`record: null`). Run by an interval in
 * `serve --hub` and by `myna-twin network retain --hub DIR [--now ISO]`; the clock is always given.
 * @module
 */
import type { NetworkLogger } from "../network-logger.js";
import type { ProvisionStore } from "./provision-store.js";

/** Years a record is kept. */
export const RETENTION_YEARS = 7;

/** The first instant whose records are kept at `now`: the same UTC calendar moment 7 years earlier. */
export function retentionCutoff(now: number): number {
  if (!Number.isSafeInteger(now) || now < 0)
    throw new RangeError(`retention now: expected ms since the epoch, got ${String(now)}`);
  const d = new Date(now);
  return Date.UTC(
    d.getUTCFullYear() - RETENTION_YEARS,
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** One retention pass at `now`; logs what it removed. */
export async function runRetention(
  store: ProvisionStore,
  now: number,
  logger?: NetworkLogger,
): Promise<{ readonly deleted: number; readonly cutoff: number; readonly retainedBefore: number }> {
  const cutoff = retentionCutoff(now);
  const deleted = await store.retainBefore(cutoff);
  if (deleted > 0)
    logger?.info("records removed by retention", {
      deleted,
      cutoff: new Date(cutoff).toISOString(),
      retainedBefore: store.retainedBefore,
    });
  return { deleted, cutoff, retainedBefore: store.retainedBefore };
}
