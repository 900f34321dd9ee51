/**
 * Tiny DOM helpers for the views: an element builder, a box holding a chart's SVG string, a problem
 * message and a table. Views build DOM with these and never parse HTML from data: text always goes
 * in through `textContent`, and the only markup inserted is the chart functions' escaped SVG.
 * @module
 */

/** A child of {@link h}: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes of {@link h}: strings, `true` for a bare attribute; absent or `false` are skipped. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element.
 * @example h("a", { href: "#/bench", class: "nav" }, "Benchmarks")
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = globalThis.document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  append(e, children);
  return e;
}

/** Appends children, turning strings and numbers into text nodes. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "object" ? c : globalThis.document.createTextNode(String(c)));
  }
}

/** A figure holding one chart (an SVG string from engine/charts) and an optional note under it. */
export function chartBox(svg: string, name: string, note?: string): HTMLElement {
  const box = h("figure", { class: "chart", "data-chart": name });
  const holder = h("div", { class: "chart-svg" });
  holder.innerHTML = svg; // the chart functions escape every text they write
  box.appendChild(holder);
  if (note) box.appendChild(h("figcaption", {}, note));
  return box;
}

/** A clearly marked problem message (role `alert`). */
export function problemBox(message: string, heading = "This run cannot be shown"): HTMLElement {
  return h("div", { class: "problem", role: "alert" }, h("strong", {}, heading), h("p", {}, message));
}

/** A table with a header row; `align` "r" right-aligns numeric columns. */
export function table(
  head: readonly string[],
  rows: readonly (readonly Child[])[],
  options: { align?: readonly ("l" | "r")[]; caption?: string; className?: string } = {},
): HTMLElement {
  const t = h("table", { class: options.className ?? "data" });
  if (options.caption) t.appendChild(h("caption", {}, options.caption));
  const cls = (i: number) => (options.align?.[i] === "r" ? "num" : undefined);
  t.appendChild(
    h("thead", {}, h("tr", {}, ...head.map((x, i) => h("th", { class: cls(i), scope: "col" }, x)))),
  );
  const body = h("tbody");
  for (const r of rows) body.appendChild(h("tr", {}, ...r.map((x, i) => h("td", { class: cls(i) }, x))));
  t.appendChild(body);
  return h("div", { class: "table-scroll" }, t);
}

/** A link to a route of the app. */
export function link(href: string, text: string, attrs: Attrs = {}): HTMLAnchorElement {
  return h("a", { href, ...attrs }, text);
}
