/**
 * Loads a scenario YAML file: parses it, applies `--set key=value` overrides, validates it against
 * {@link scenarioSchema} and its cross-field rules, and reports the first problems as one clear
 * message — `file:line:column: field: what was expected` — in an {@link InputError}. Nothing is
 * run or written before a scenario passes. A file may start from another with `extends: other.yaml`
 * (mappings merge key by key; lists and values are replaced).
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, parse as parseYaml, type Document } from "yaml";
import type { ZodError } from "zod";
import { InputError } from "../engine/errors.js";
import type { IssuanceParams } from "../sim/issuance/params.js";
import { refineScenario, scenarioSchema, toIssuanceParams } from "./schema.js";

type Path = (string | number)[];

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  file: string;
  params: IssuanceParams;
  /** The overrides applied, as given (`key=value`). */
  overrides: string[];
}

/** Parses `a.b[2].c` or `a.b.2.c` into a path. */
export function parseKeyPath(key: string): Path {
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*$/.test(key)) {
    throw new InputError(`--set ${key}: expected a dotted key like factory.capacityPerDay[0].value`);
  }
  return key
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Applies one `key=value` override (value parsed as YAML) to a plain object, in place. */
export function applyOverride(root: unknown, assignment: string): Path {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new InputError(`--set ${assignment}: expected key=value`);
  const key = assignment.slice(0, eq);
  const path = parseKeyPath(key);
  let value: unknown;
  try {
    value = parseYaml(assignment.slice(eq + 1));
  } catch (e) {
    throw new InputError(`--set ${key}: value is not valid YAML: ${(e as Error).message}`);
  }
  let node = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node?.[path[i]!];
    if (next === null || typeof next !== "object") {
      throw new InputError(`--set ${key}: ${fieldName(path.slice(0, i + 1))} is not in the scenario`);
    }
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (!(last in node)) throw new InputError(`--set ${key}: ${key} is not in the scenario`);
  node[last] = value;
  return path;
}

/** One parsed YAML file of an `extends` chain. */
interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  raw: Record<string, unknown>;
}

/** Where a path's node starts in one file, as `line:column` (1-based); `exact` refuses ancestors. */
function locate(src: SourceFile, path: Path, unknownKey: string | undefined, exact: boolean): string | null {
  let node: unknown = path.length ? src.doc.getIn(path, true) : src.doc.contents;
  if (unknownKey !== undefined) {
    const pair = isMap(node)
      ? node.items.find((p) => (p.key as { value?: unknown })?.value === unknownKey)
      : undefined;
    node = pair?.key;
  }
  if (!node && exact) return null;
  for (let depth = path.length; depth >= 0 && !node; depth--)
    node = src.doc.getIn(path.slice(0, depth), true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  if (!range) return null;
  const pos = src.lines.linePos(range[0]);
  return `${src.file}:${pos.line}:${pos.col}`;
}

function readSource(file: string): SourceFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${file}: ${code === "ENOENT" ? "no such file" : `cannot read (${(e as Error).message})`}`,
      "E_SCENARIO",
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lines.linePos(err.pos[0]);
    const what = err.message.split("\n")[0];
    throw new InputError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${what}`, "E_SCENARIO");
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || isSeq(doc.contents)) {
    throw new InputError(`${file}:1:1: expected a mapping of scenario fields at the top level`, "E_SCENARIO");
  }
  return { file, doc, lines, raw: raw as Record<string, unknown> };
}

/** Deep merge for `extends`: mappings merge key by key, anything else (lists too) is replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (base === null || over === null || typeof base !== "object" || typeof over !== "object") return over;
  if (Array.isArray(base) || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>))
    out[k] = k in out ? merge(out[k], v) : v;
  return out;
}

/** Reads `file` and the files it `extends` (child first), refusing cycles. */
function readChain(file: string): SourceFile[] {
  const chain: SourceFile[] = [];
  let next: string | null = file;
  while (next !== null) {
    const current: string = next;
    if (chain.some((c) => resolve(c.file) === resolve(current))) {
      throw new InputError(`${file}: extends forms a cycle through ${current}`, "E_SCENARIO");
    }
    const src = readSource(current);
    chain.push(src);
    const parent = src.raw["extends"];
    if (parent !== undefined && typeof parent !== "string") {
      throw new InputError(
        `${locate(src, ["extends"], undefined, false)}: extends: expected a file name`,
        "E_SCENARIO",
      );
    }
    next = parent === undefined ? null : join(dirname(current), parent);
  }
  return chain;
}

const fieldName = (path: Path): string =>
  path.length === 0
    ? "(top level)"
    : path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** Loads, overrides and validates a scenario file. @throws InputError with every problem found. */
export function loadScenario(file: string, overrides: string[] = []): LoadedScenario {
  const chain = readChain(file);
  const raw = chain.reduceRight<unknown>((acc, src) => merge(acc, src.raw), {}) as Record<string, unknown>;
  delete raw["extends"];
  const overridden = new Set<string>();
  for (const o of overrides) overridden.add(fieldName(applyOverride(raw, o)));

  const where = (path: Path, unknownKey?: string): string => {
    const name = fieldName(path);
    const within = (inner: string, outer: string): boolean =>
      inner === outer ||
      inner.startsWith(`${outer}.`) ||
      inner.startsWith(`${outer}[`) ||
      outer === "(top level)";
    // An error at or below an overridden field, or a cross-field rule above one, is the override's.
    for (const o of overridden)
      if (within(name, o) || within(o, name)) {
        return `--set ${o}`;
      }
    for (const src of chain) {
      const at = locate(src, path, unknownKey, true);
      if (at) return at;
    }
    return locate(chain[0]!, path, unknownKey, false) ?? file;
  };

  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(describeIssues(parsed.error, where), "E_SCENARIO");
  const rules = refineScenario(parsed.data);
  if (rules.length > 0) {
    throw new InputError(
      rules.map((r) => `${where(r.path)}: ${fieldName(r.path)}: ${r.message}`).join("\n"),
      "E_SCENARIO",
    );
  }
  return { file, params: toIssuanceParams(parsed.data), overrides };
}

/** Levenshtein distance, for "did you mean" hints on misspelt field names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function describeIssues(error: ZodError, where: (path: Path, unknownKey?: string) => string): string {
  const issues = error.issues.map((i) => ({
    ...i,
    path: i.path.filter((p): p is string | number => typeof p !== "symbol"),
  }));
  const parentOf = (path: Path): string => fieldName(path.slice(0, -1));
  const isMissing = (i: (typeof issues)[number]): boolean =>
    i.code === "invalid_type" && /received undefined/.test(i.message);
  // A misspelt key shows up twice: as an unknown key and as a missing one. Say it once, with a hint.
  const hints = new Map<string, string>();
  for (const u of issues) {
    if (u.code !== "unrecognized_keys") continue;
    for (const k of u.keys) {
      const twin = issues.find(
        (m) =>
          isMissing(m) && parentOf(m.path) === fieldName(u.path) && distance(String(m.path.at(-1)), k) <= 2,
      );
      if (twin) hints.set(`${fieldName(u.path)}/${k}`, String(twin.path.at(-1)));
    }
  }
  const out: string[] = [];
  let skipped = 0;
  for (const issue of issues) {
    if (out.length >= 5) {
      skipped++;
      continue;
    }
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        const hint = hints.get(`${fieldName(path)}/${k}`);
        out.push(
          `${where(path, k)}: ${fieldName([...path, k])}: unknown field` +
            (hint ? `; did you mean ${hint}?` : " (check the spelling; see scenarios/README.md)"),
        );
      }
      continue;
    }
    if (
      isMissing(issue) &&
      [...hints].some(([key, v]) => key.startsWith(`${parentOf(path)}/`) && v === path.at(-1))
    ) {
      continue;
    }
    let message = issue.message;
    if (isMissing(issue)) message = `missing; ${message.replace(/Invalid input: /, "")}`;
    out.push(`${where(path)}: ${fieldName(path)}: ${message.replace(/^Invalid input: /, "")}`);
  }
  if (skipped > 0) out.push(`… and ${skipped} more`);
  return out.join("\n");
}
