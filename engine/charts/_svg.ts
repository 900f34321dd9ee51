/**
 * Internal SVG helpers shared by the chart modules: XML escaping, fixed-precision number output, the
 * palette, value and tick formatters, text-width estimates, option checks, the document wrapper (title,
 * desc, ARIA, scoped style) and the "no data" document. Axes and legend are in `_axes.ts`.
 *
 * Everything here is pure string building: no DOM, no globals, no I/O, no clock, no randomness. The
 * same input always yields the same bytes, so chart output can be snapshot-tested and embedded in
 * generated reports.
 * @module
 */

import { format as d3Format, precisionFixed } from "d3-format";
import { TwinError } from "../errors.js";

/** Error code of every error a chart function throws on bad input. */
export const CHART_ERROR = "E_CHART";

/** Throws a {@link TwinError} with code `E_CHART`. */
export function chartError(message: string): never {
  throw new TwinError(CHART_ERROR, message);
}

/**
 * Tableau 10: a fixed categorical palette that stays distinguishable for the common forms of colour
 * blindness when combined with dashes and markers. Series take colours in this order.
 */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** Colour of text, axes and reference lines. */
export const INK = "#222222";
/** Colour of secondary text (tick labels, notes). */
export const MUTED = "#555555";
/** Colour of grid lines. */
export const GRID = "#e6e6e6";
/** Font stack written on the root element; DejaVu Sans is the fallback on headless Linux. */
export const FONT_FAMILY =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/**
 * CSS for pages that embed several charts (e.g. report.html). Every chart also carries its own
 * id-scoped `<style>` so a standalone SVG behaves the same; this sheet only adds layout.
 */
export const CHART_CSS = [
  ".mt-chart { display: block; max-width: 100%; height: auto; margin: 0 0 1.5rem 0; }",
  ".mt-chart .mt-hit:hover { fill-opacity: 0.08; }",
  ".mt-chart .mt-cell:hover { stroke: #222222; stroke-width: 1.5; }",
].join("\n");

/** Space around the plot area, in SVG user units (px at the default size). */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Options every chart accepts. */
export interface CommonChartOptions {
  /**
   * Id of the root `<svg>`; every inner id (clip paths, gradients, title) is derived from it. Must match
   * `/^[A-Za-z][A-Za-z0-9_-]*$/`. Default: `mt-<kind>-<hash of the title>`, so two charts with different
   * titles on one page never collide. Give explicit ids when a page holds two charts with the same title.
   */
  id?: string;
  /** Visible heading, `<title>` and `aria-label`. */
  title?: string;
  /** Text of `<desc>`; default: a generated one-sentence summary of the data. */
  description?: string;
  /** Width of the viewBox (default 960). The SVG scales to its container (`width="100%"`). */
  width?: number;
  /** Height of the viewBox (default 420, or computed from the row count for bar and heatmap charts). */
  height?: number;
  /** Margins around the plot area; missing sides take chart-specific defaults. */
  margin?: Partial<Margin>;
}

// ---------------------------------------------------------------------------------------------------
// Escaping and numbers

// Characters that XML 1.0 forbids outright (C0 controls except tab/newline/return, lone surrogates,
// U+FFFE/U+FFFF). They are dropped rather than escaped: no entity can represent them.
const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- matching the forbidden control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for XML element content and attribute values (both quote styles), and drops characters
 * XML 1.0 cannot carry.
 * @example esc('<script>"x"</script>') // "&lt;script&gt;&quot;x&quot;&lt;/script&gt;"
 */
export function esc(text: string): string {
  return String(text)
    .replace(INVALID_XML, "")
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Formats a coordinate with at most 2 decimals and no exponent, trailing zeros trimmed; `-0` becomes
 * `0`. Non-finite input is a bug in the caller (it would draw `NaN`), so it throws.
 * @example num(12.3456) // "12.35"
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) chartError(`internal: non-finite coordinate ${value}`);
  const r = Math.round(value * 100) / 100;
  if (r === 0) return "0";
  if (Math.abs(r) >= 1e15) chartError(`internal: coordinate ${value} out of range`);
  return String(r);
}

/** Clamps `v` into `[lo, hi]`. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** True for a finite number (not null, undefined, NaN or ±Infinity). */
export function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Checks an explicit `[min, max]` domain option. @throws TwinError `E_CHART` naming `name`. */
export function checkDomain(value: unknown, name: string): [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !isNum(value[0]) ||
    !isNum(value[1]) ||
    value[1] <= value[0]
  ) {
    chartError(
      `options.${name} must be [min, max] finite numbers with min < max, got ${JSON.stringify(value)}`,
    );
  }
  return [value[0], value[1]];
}

/** Attribute value: a number (written with {@link num}), a string (escaped) or absent (omitted). */
export type AttrValue = string | number | undefined | null | false;

/** Serialises attributes in insertion order, skipping absent ones. */
export function attrs(a: Record<string, AttrValue>): string {
  let out = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue;
    out += ` ${k}="${typeof v === "number" ? num(v) : esc(v)}"`;
  }
  return out;
}

/** One element; `content` is raw markup (escape text yourself with {@link esc}); no content → `/>`. */
export function el(tag: string, a: Record<string, AttrValue>, content?: string): string {
  return content === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${content}</${tag}>`;
}

/** A `<title>` element holding escaped text: the native, script-free tooltip. */
export function titleEl(text: string): string {
  return `<title>${esc(text)}</title>`;
}

/** Deterministic 32-bit FNV-1a hash, as 8 hex digits (for default ids). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

const ID_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The chart's root id: `options.id` checked, or `mt-<kind>-<hash of the title>`. */
export function chartId(id: string | undefined, kind: string, title: string | undefined): string {
  if (id === undefined) return `mt-${kind}-${fnv1a(title ?? "")}`;
  if (!ID_RE.test(id)) chartError(`options.id must match ${String(ID_RE)}, got ${JSON.stringify(id)}`);
  return id;
}

/** Checks a positive finite size option. */
export function sizeOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!isNum(value) || value <= 0)
    chartError(`options.${name} must be a positive number, got ${String(value)}`);
  return value;
}

/** Merges margins, checking each given side. */
export function resolveMargin(given: Partial<Margin> | undefined, defaults: Margin): Margin {
  const m = { ...defaults };
  for (const side of ["top", "right", "bottom", "left"] as const) {
    const v = given?.[side];
    if (v === undefined) continue;
    if (!isNum(v) || v < 0)
      chartError(`options.margin.${side} must be a non-negative number, got ${String(v)}`);
    m[side] = v;
  }
  return m;
}

/** Picks a series colour: the given one, else the palette entry for index `i`. */
export function seriesColor(color: string | undefined, i: number): string {
  return color ?? PALETTE[i % PALETTE.length] ?? INK;
}

const DASH_RE = /^\s*\d+(\.\d+)?([\s,]+\d+(\.\d+)?)*\s*$/;

/** Checks an SVG `stroke-dasharray` option ("6 3", "2,2"). */
export function dashOption(dash: string | undefined, where: string): string | undefined {
  if (dash === undefined || dash === "") return undefined;
  if (!DASH_RE.test(dash))
    chartError(`${where}.dash must be a dash array such as "6 3", got ${JSON.stringify(dash)}`);
  return dash.trim();
}

// ---------------------------------------------------------------------------------------------------
// Value formatting

/**
 * How numbers are written on an axis and in tooltips:
 * - `"si"` — SI prefixes, `87M`, `1.5k`;
 * - `"millions"` — the value divided by 10⁶, `87`, `12.5` (label the axis "… (millions)");
 * - `"thousands"` — divided by 10³;
 * - `"percent"` — a ratio as a percentage with one decimal, `0.875` → `87.5%` (ticks: as many decimals as the step needs);
 * - `"integer"` — grouped integer, `87,000,000`;
 * - any other string — a d3-format specifier (`",.1f"`, `".2~s"`);
 * - a function — used as is (it must be deterministic).
 */
export type NumberFormat =
  "si" | "millions" | "thousands" | "percent" | "integer" | (string & {}) | ((value: number) => string);

const fmtCache = new Map<string, (v: number) => string>();

function specFormat(spec: string): (v: number) => string {
  let f = fmtCache.get(spec);
  if (f === undefined) {
    try {
      f = d3Format(spec);
    } catch {
      chartError(`unknown number format ${JSON.stringify(spec)}`);
    }
    fmtCache.set(spec, f);
  }
  return f;
}

/**
 * A formatter for single values (tooltips, bar labels): presets keep a few decimals so small
 * differences stay visible. `undefined` gives `fallback`.
 */
export function valueFormatter(
  f: NumberFormat | undefined,
  fallback: NumberFormat = "exact",
): (v: number) => string {
  const spec = f ?? fallback;
  if (typeof spec === "function") return spec;
  switch (spec) {
    case "exact": {
      const int = specFormat(",");
      const dec = specFormat(",.4~f");
      return (v) => (Number.isInteger(v) ? int(v) : dec(v));
    }
    case "si":
      return specFormat(".4~s");
    case "millions": {
      const g = specFormat(",.3~f");
      return (v) => g(v / 1e6);
    }
    case "thousands": {
      const g = specFormat(",.2~f");
      return (v) => g(v / 1e3);
    }
    case "percent":
      return specFormat(".1%");
    case "integer":
      return specFormat(",.0f");
    default:
      return specFormat(spec);
  }
}

/**
 * A formatter for axis ticks: the precision follows the tick step, so ticks 0, 20 M, 40 M in
 * `"millions"` read `0, 20, 40` and ticks 0, 0.5, 1 read `0, 0.5, 1`.
 */
export function tickFormatter(f: NumberFormat | undefined, ticks: readonly number[]): (v: number) => string {
  if (typeof f === "function") return f;
  const step = ticks.length > 1 ? Math.abs((ticks[1] ?? 0) - (ticks[0] ?? 0)) : Math.abs(ticks[0] ?? 1) || 1;
  const fixed = (scale: number, group: boolean, suffix = "") => {
    const p = clamp(precisionFixed(step / scale), 0, 6);
    const g = specFormat(`${group ? "," : ""}.${p}f`);
    return (v: number) => g(v / scale) + suffix;
  };
  switch (f ?? "plain") {
    case "plain":
      return fixed(1, true);
    case "millions":
      return fixed(1e6, true);
    case "thousands":
      return fixed(1e3, true);
    case "integer":
      return specFormat(",.0f");
    case "percent": {
      const p = clamp(precisionFixed(step * 100), 0, 4);
      return specFormat(`.${p}%`);
    }
    case "si":
      return specFormat("~s");
    default:
      return specFormat(f as string);
  }
}

// ---------------------------------------------------------------------------------------------------
// Text

/**
 * Estimated rendered width of `text` at `fontSize`, from per-character classes of a typical sans-serif
 * font (wide CJK/fullwidth characters count 1 em). Used only for layout (legend wrapping, margins), so
 * it is approximate but deterministic.
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (
      c >= 0x1100 &&
      (c <= 0x115f ||
        (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) ||
        (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) ||
        (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) ||
        c >= 0x20000)
    )
      em += 1;
    else if ("iljtfI.,:;'|!()[] ".includes(ch)) em += 0.3;
    else if ("mwMW@%".includes(ch)) em += 0.85;
    else if (ch >= "A" && ch <= "Z") em += 0.67;
    else em += 0.56;
  }
  return em * fontSize;
}

/** Shortens `text` with an ellipsis so that its estimated width fits `maxWidth`. */
export function truncate(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && textWidth(chars.join("") + "…", fontSize) > maxWidth) chars.pop();
  return chars.join("") + "…";
}

/** Font sizes used by every chart. */
export const FONT = { title: 16, label: 12, tick: 11, legend: 12, note: 11 } as const;

// ---------------------------------------------------------------------------------------------------
// Document

/** Parts of a chart document. */
export interface SvgDocParts {
  id: string;
  /** Chart kind, added as class `mt-<kind>`. */
  kind: string;
  width: number;
  height: number;
  title: string | undefined;
  description: string;
  /** Raw markup of the chart body. */
  body: string[];
  /** Extra raw markup for `<defs>` (clip paths, gradients). */
  defs?: string[];
  /** Extra attributes of the root `<svg>` (e.g. `data-*` geometry for an interactive page). */
  rootAttrs?: Record<string, AttrValue>;
}

/**
 * Wraps chart markup in a standalone, accessible `<svg>`: `xmlns`, `viewBox`, `width="100%"`,
 * `role="img"`, `aria-label`, `aria-labelledby` → `<title>` and `<desc>`, a white background, the
 * visible title, and a `<style>` scoped to the chart id (hover highlight of tooltip targets).
 */
export function svgDocument(p: SvgDocParts): string {
  const { id, width, height } = p;
  const label = p.title ?? p.description;
  const out: string[] = [];
  out.push(
    `<svg${attrs({
      xmlns: "http://www.w3.org/2000/svg",
      id,
      class: `mt-chart mt-${p.kind}`,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width: "100%",
      role: "img",
      "aria-label": label,
      "aria-labelledby": `${id}-title ${id}-desc`,
      "font-family": FONT_FAMILY,
      "font-size": FONT.label,
      ...p.rootAttrs,
    })}>`,
  );
  out.push(`<title id="${id}-title">${esc(label)}</title>`);
  out.push(`<desc id="${id}-desc">${esc(p.description)}</desc>`);
  out.push(
    `<style>#${id} .mt-hit:hover{fill-opacity:0.08}#${id} .mt-cell:hover{stroke:${INK};stroke-width:1.5}#${id} text{pointer-events:none}</style>`,
  );
  if (p.defs && p.defs.length > 0) out.push(`<defs>${p.defs.join("")}</defs>`);
  out.push(el("rect", { class: "mt-background", x: 0, y: 0, width, height, fill: "#ffffff" }));
  if (p.title !== undefined && p.title !== "") {
    out.push(
      el(
        "text",
        { class: "mt-title", x: 12, y: 24, "font-size": FONT.title, "font-weight": "bold" },
        esc(truncate(p.title, width - 24, FONT.title)),
      ),
    );
  }
  out.push(...p.body);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Height the visible title takes at the top of the chart. */
export function titleBlockHeight(title: string | undefined): number {
  return title !== undefined && title !== "" ? 36 : 8;
}

/**
 * A valid chart document that says "No data" (plus `reason`) in the middle of the plot area,
 * used when there is nothing finite to draw — never a path with `NaN` in it.
 */
export function noDataDocument(p: Omit<SvgDocParts, "body" | "description"> & { reason?: string }): string {
  const msg = p.reason ? `No data: ${p.reason}` : "No data";
  const top = titleBlockHeight(p.title);
  return svgDocument({
    ...p,
    description: `${p.title ? p.title + ": " : ""}${msg}.`,
    body: [
      el("rect", {
        class: "mt-frame",
        x: 12,
        y: top,
        width: Math.max(1, p.width - 24),
        height: Math.max(1, p.height - top - 12),
        fill: "#fafafa",
        stroke: GRID,
      }),
      el(
        "text",
        {
          class: "mt-no-data",
          x: p.width / 2,
          y: top + (p.height - top - 12) / 2,
          "text-anchor": "middle",
          dy: "0.32em",
          "font-size": 14,
          fill: MUTED,
        },
        esc(msg),
      ),
    ],
  });
}
