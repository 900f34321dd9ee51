/**
 * HTML rendering of the report's blocks (every text escaped; charts are inline SVG) and the page's
 * CSS: one self-contained page, readable on a laptop and on a phone.
 * @module
 */
import type { Block, Inline } from "./blocks.js";

/** Escapes text for HTML content and attribute values. */
export function h(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function htmlInline(content: Inline[]): string {
  return content
    .map((c) =>
      typeof c === "string" ? h(c) : "b" in c ? `<strong>${h(c.b)}</strong>` : `<code>${h(c.code)}</code>`,
    )
    .join("");
}

export function htmlBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "h":
        out.push(`<h${b.level}${b.id ? ` id="${h(b.id)}"` : ""}>${h(b.text)}</h${b.level}>`);
        break;
      case "p":
        out.push(`<p${b.className ? ` class="${h(b.className)}"` : ""}>${htmlInline(b.content)}</p>`);
        break;
      case "list":
        out.push(`<ul>\n${b.items.map((i) => `<li>${htmlInline(i)}</li>`).join("\n")}\n</ul>`);
        break;
      case "table": {
        const cls = (i: number) => (b.align?.[i] === "r" ? ' class="num"' : "");
        const lines = ['<div class="table-wrap">', "<table>"];
        if (b.caption) lines.push(`<caption>${h(b.caption)}</caption>`);
        lines.push(`<thead><tr>${b.head.map((c, i) => `<th${cls(i)}>${h(c)}</th>`).join("")}</tr></thead>`);
        lines.push("<tbody>");
        for (const r of b.rows)
          lines.push(`<tr>${r.map((c, i) => `<td${cls(i)}>${h(c)}</td>`).join("")}</tr>`);
        lines.push("</tbody>", "</table>", "</div>");
        out.push(lines.join("\n"));
        break;
      }
      case "chart":
        out.push(`<figure class="chart">\n${b.svg.trimEnd()}\n</figure>`);
        break;
      case "code":
        out.push(`<pre><code>${h(b.text)}</code></pre>`);
        break;
      case "details":
        out.push(`<details>\n<summary>${h(b.summary)}</summary>`, ...htmlBlocks(b.blocks), "</details>");
        break;
      case "only":
        if (b.format === "html") out.push(...htmlBlocks(b.blocks));
        break;
    }
  }
  return out;
}

export const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: #222222; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #ffffff; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 0.75rem; padding-top: 0.75rem; border-top: 1px solid #e6e6e6; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0.5rem 0 0.9rem; }
.description { color: #555555; }
.headline { font-size: 1.2rem; background: #eef3f8; border-left: 4px solid #4e79a7; padding: 0.75rem 1rem; }
.note { color: #555555; font-size: 0.92rem; }
figure.chart { margin: 1rem 0 1.5rem; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.25rem; }
table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { padding: 0.3rem 0.65rem; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
th { background: #fafafa; border-bottom: 2px solid #cccccc; }
td.num, th.num { text-align: right; white-space: nowrap; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { background: #f4f4f4; padding: 0.75rem 1rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
details { margin: 0.5rem 0 1.25rem; }
summary { cursor: pointer; color: #4e79a7; }
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: 1rem 0.75rem 2rem; }
  h1 { font-size: 1.4rem; }
  .headline { font-size: 1.05rem; }
  th, td { padding: 0.25rem 0.4rem; }
}
`.trim();
