/**
 * Arranges a sweep's rows as the grid it was run on: the first varied key across (x), the second
 * down (y), and one facet per combination of any further keys. Values keep the order given on the
 * command line; a grid point with no row is `null`.
 * @module
 */

import type { SweepDocument, SweepRow } from "./run-types.js";

/** One x × y grid of rows. */
export interface SweepFacet {
  /** The fixed values of the keys beyond the second, e.g. `seed.x=3`; "" when there are none. */
  label: string;
  /** `cells[row][column]`. */
  cells: (SweepRow | null)[][];
}

/** The grid of a sweep. */
export interface SweepGrid {
  xKey: string;
  /** null for a one-key sweep (a single row). */
  yKey: string | null;
  x: string[];
  y: string[];
  facets: SweepFacet[];
}

/** @param doc a checked sweep.json */
export function sweepGrid(doc: SweepDocument): SweepGrid {
  const [xv, yv, ...rest] = doc.vary;
  if (xv === undefined) return { xKey: "", yKey: null, x: [], y: [], facets: [] };
  const y = yv ? yv.values : [""];
  let combos: Record<string, string>[] = [{}];
  for (const v of rest) combos = combos.flatMap((c) => v.values.map((x) => ({ ...c, [v.key]: x })));
  const facets = combos.map((fixed) => {
    const label = Object.entries(fixed)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    const cells = y.map((yval) =>
      xv.values.map(
        (xval) =>
          doc.rows.find(
            (r) =>
              r.point[xv.key] === xval &&
              (yv === undefined || r.point[yv.key] === yval) &&
              Object.entries(fixed).every(([k, v]) => r.point[k] === v),
          ) ?? null,
      ),
    );
    return { label, cells };
  });
  return { xKey: xv.key, yKey: yv ? yv.key : null, x: xv.values, y, facets };
}
