/**
 * Assertions shared by the chart tests: every chart output must be a standalone, accessible,
 * well-formed SVG document with no `NaN`, `Infinity` or `undefined` leaking into it.
 * @module
 */

import assert from "node:assert/strict";
import { allElements, parseXml, select } from "./_wellformed.js";
import type { XmlElement } from "./_wellformed.js";

/**
 * Parses `svg` and checks the document-level contract; returns the root for further queries.
 * Uses node:assert (not vitest's `expect`) so this file has no test-runner dependency.
 */
export function expectValidSvg(svg: string): XmlElement {
  assert.doesNotMatch(svg, /NaN|Infinity|undefined|\[object /);
  const root = parseXml(svg);
  assert.equal(root.name, "svg");
  assert.equal(root.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.match(root.attrs.viewBox ?? "", /^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
  assert.equal(root.attrs.width, "100%");
  assert.equal(root.attrs.role, "img");
  assert.ok((root.attrs["aria-label"] ?? "").length > 0, "aria-label is empty");
  const id = root.attrs.id ?? "";
  assert.match(id, /^[A-Za-z][A-Za-z0-9_-]*$/);
  assert.equal(root.attrs["aria-labelledby"], `${id}-title ${id}-desc`);
  assert.equal(root.children[0]?.name, "title");
  assert.equal(root.children[1]?.name, "desc");
  // every d attribute is made only of path commands and numbers
  for (const p of select(root, "path")) assert.match(p.attrs.d ?? "", /^[MLHVCSQTAZmlhvcsqtaz0-9.,\s-]+$/);
  // ids are unique and all derive from the root id
  const ids = allElements(root)
    .map((e) => e.attrs.id)
    .filter((v): v is string => v !== undefined);
  assert.equal(new Set(ids).size, ids.length, "duplicate ids");
  for (const other of ids) assert.ok(other.startsWith(id), `id ${other} does not derive from ${id}`);
  return root;
}

/** Rounds like the chart code does (2 decimals) and returns the attribute string form. */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? "0" : String(r);
}

/** Epoch milliseconds of an ISO day. */
export function day(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** Month-end ISO days from `year0-01` for `count` months. */
export function monthEnds(year0: number, count: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(new Date(Date.UTC(year0, k + 1, 0)).toISOString().slice(0, 10));
  return out;
}

/** Consecutive ISO days from `start`. */
export function dailyDates(start: string, count: number): string[] {
  const t0 = day(start);
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(new Date(t0 + k * 86_400_000).toISOString().slice(0, 10));
  return out;
}
