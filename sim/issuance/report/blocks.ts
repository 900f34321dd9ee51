/**
 * The report's small document model — headings, paragraphs with bold and code spans, lists, tables,
 * charts, code, details and format-only parts — and its Markdown rendering (GitHub-flavoured, every
 * text escaped). The HTML rendering is in html.ts; both render the same list of blocks, so report.md
 * and report.html say the same things in the same order.
 * @module
 */

/** A run of text: plain, bold or code. */
export type Inline = string | { b: string } | { code: string };

export type Block =
  | { kind: "h"; level: 1 | 2 | 3; text: string; id?: string }
  | { kind: "p"; content: Inline[]; className?: string }
  | { kind: "list"; items: Inline[][] }
  | {
      kind: "table";
      head: string[];
      rows: string[][];
      /** "r" for numeric columns. */
      align?: ("l" | "r")[];
      caption?: string;
    }
  | { kind: "chart"; svg: string }
  | { kind: "code"; text: string }
  | { kind: "details"; summary: string; blocks: Block[] }
  /** Shown in one format only. */
  | { kind: "only"; format: "md" | "html"; blocks: Block[] };

/** A paragraph. */
export const p = (...content: Inline[]): Block => ({ kind: "p", content });

function mdEscape(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, "\\&");
}

function mdCode(text: string): string {
  const one = text.replace(/\r?\n|\r/g, " ");
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = one.startsWith("`") || one.endsWith("`") ? " " : "";
  return `${fence}${pad}${one}${pad}${fence}`;
}

function mdInline(content: Inline[]): string {
  return content
    .map((c) => (typeof c === "string" ? mdEscape(c) : "b" in c ? `**${mdEscape(c.b)}**` : mdCode(c.code)))
    .join("");
}

/** Markdown lines of the blocks (charts are left out: they are in report.html). */
export function mdBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "h":
        out.push(`${"#".repeat(b.level)} ${mdEscape(b.text)}`);
        break;
      case "p":
        out.push(mdInline(b.content));
        break;
      case "list":
        out.push(b.items.map((i) => `- ${mdInline(i)}`).join("\n"));
        break;
      case "table": {
        const lines: string[] = [];
        if (b.caption) lines.push(`*${mdEscape(b.caption)}*`, "");
        const cell = (s: string) => mdEscape(s);
        lines.push(`| ${b.head.map(cell).join(" | ")} |`);
        lines.push(`|${b.head.map((_, i) => (b.align?.[i] === "r" ? " ---: " : " --- ")).join("|")}|`);
        for (const r of b.rows) lines.push(`| ${r.map(cell).join(" | ")} |`);
        out.push(lines.join("\n"));
        break;
      }
      case "chart":
        break;
      case "code": {
        const longest = Math.max(2, ...(b.text.match(/`+/g) ?? []).map((r) => r.length));
        const fence = "`".repeat(longest + 1);
        out.push(`${fence}sh\n${b.text}\n${fence}`);
        break;
      }
      case "details":
        out.push(`**${mdEscape(b.summary)}**`, ...mdBlocks(b.blocks));
        break;
      case "only":
        if (b.format === "md") out.push(...mdBlocks(b.blocks));
        break;
    }
  }
  return out;
}
