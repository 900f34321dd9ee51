/**
 * A scenario file as YAML source (DESIGN.md §7, §9, issue 7): read within its size limit, parsed
 * with unique keys and limited alias expansions, refused with `file:line:column` when it is not a
 * mapping, holds a key that would reach a prototype or an alias that refers to itself; and a path
 * of scenario fields located back in the source as `file:line:column` for messages. The walks are
 * iterative, so no input depth reaches the call stack.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument, visit, type Document } from "yaml";
import { InputError } from "../engine/errors.js";
import { FORBIDDEN_KEYS, plural, SCENARIO_LIMITS } from "./limits.js";

/** A path of scenario fields: keys and array indexes. */
export type Path = (string | number)[];

/** A path as a field name: `factory.capacityPerDay[0].value`, or `(top level)`. */
export const fieldName = (path: Path): string =>
  path.length === 0
    ? "(top level)"
    : path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/**
 * The first problem in a parsed value, by an iterative walk: a key named like a prototype property,
 * or a cycle (an alias inside its own anchor, `&a [*a]`), which no scenario field can hold.
 */
export function valueProblem(value: unknown): { path: Path; problem: "forbidden" | "cycle" } | null {
  const onPath = new Set<object>();
  const stack: { v: unknown; path: Path; exit?: boolean }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path, exit } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (exit) {
      onPath.delete(v);
      continue;
    }
    if (onPath.has(v)) return { path, problem: "cycle" };
    onPath.add(v);
    stack.push({ v, path, exit: true });
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
      continue;
    }
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) return { path: [...path, k], problem: "forbidden" };
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  return null;
}

/** A YAML parse error's message on one line, naming the key for a duplicate. */
export function yamlMessage(
  doc: Document,
  err: { code: string; message: string; pos: [number, number] },
): string {
  if (/Maximum call stack size exceeded/.test(err.message)) return "nesting too deep";
  const first = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (err.code !== "DUPLICATE_KEY") return first;
  let key: unknown;
  visit(doc, {
    Pair(_, pair) {
      const k = pair.key as { range?: [number, number, number]; value?: unknown } | null;
      if (k?.range?.[0] === err.pos[0]) {
        key = k.value ?? String(k as unknown);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return key === undefined ? first : `duplicate key ${JSON.stringify(String(key))} (map keys must be unique)`;
}

/** The yaml package's toJS alias errors, reworded with the limit. */
export function aliasMessage(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/Excessive alias count/.test(m)) {
    return `too many alias expansions (the limit is ${SCENARIO_LIMITS.aliasCount}; this guards against alias bombs)`;
  }
  const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(m);
  if (unresolved) return `alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`;
  return m.split("\n")[0]!;
}

/** One parsed YAML file of an `extends` chain. */
export interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  raw: Record<string, unknown>;
}

/** Where a path's node starts in one file, as `line:column` (1-based); `exact` refuses ancestors. */
export function locate(
  src: SourceFile,
  path: Path,
  unknownKey: string | undefined,
  exact: boolean,
): string | null {
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

/**
 * Where a field of a merged `extends` chain (child first) is written: the first file that holds the
 * field itself, or that replaces an ancestor of it whole (a list or a value — lists are not merged,
 * so a field inside a replaced list belongs to the file that wrote the list, even when a parent file
 * has the same path); mappings merge, so the search goes on through a file that only has the
 * enclosing mapping. With `unknownKey`, the key itself is sought in the mapping at `path`. Null when
 * no file holds the field or a replacing ancestor (a missing field: the caller decides).
 */
export function locateInChain(chain: SourceFile[], path: Path, unknownKey?: string): string | null {
  const full = unknownKey === undefined ? path : [...path, unknownKey];
  for (const src of chain) {
    const exact = locate(src, path, unknownKey, true);
    if (exact) return exact;
    // Down the path while this file writes mappings (they merge): a list or value on the way was
    // replaced whole by this file, so the field is this file's, at the deepest ancestor it writes.
    for (let depth = 1; depth < full.length; depth++) {
      const node = src.doc.getIn(full.slice(0, depth), true);
      if (node === undefined) break;
      if (!isMap(node)) return locate(src, path, unknownKey, false);
    }
  }
  return null;
}

/** Reads at most the size limit (+1 byte to detect more) from a regular file. */
function readLimited(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${file}: ${code === "ENOENT" ? "no such file" : `cannot read (${(e as Error).message})`}`,
      "E_SCENARIO",
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${file}: not a regular file`, "E_SCENARIO");
    const limit = SCENARIO_LIMITS.fileBytes;
    const tooBig = (): InputError =>
      new InputError(
        `${file}: the file is larger than the limit of ${plural(limit, "bytes")} (1 MiB) for a scenario`,
        "E_SCENARIO",
      );
    if (st.size > limit) throw tooBig();
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    if (n > limit) throw tooBig();
    return buf.toString("utf8", 0, n);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read (${(e as Error).message})`, "E_SCENARIO");
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses one scenario file. @throws InputError naming file:line:column. */
export function readSource(file: string): SourceFile {
  const text = readLimited(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: "error",
  });
  const at = (offset: number): string => {
    const pos = lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new InputError(`${at(err.pos[0])}: YAML syntax error: ${yamlMessage(doc, err)}`, "E_SCENARIO");
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: SCENARIO_LIMITS.aliasCount });
  } catch (e) {
    // Aliases: point at the unresolved one, or at the first alias of a bomb.
    const name = /Unresolved alias[^:]*: (.*)$/.exec((e as Error).message ?? "")?.[1];
    let offset = 0;
    visit(doc, {
      Alias(_, alias) {
        if (name === undefined || alias.source === name) {
          offset = alias.range?.[0] ?? 0;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    throw new InputError(`${at(offset)}: YAML error: ${aliasMessage(e)}`, "E_SCENARIO");
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || isSeq(doc.contents)) {
    throw new InputError(`${file}:1:1: expected a mapping of scenario fields at the top level`, "E_SCENARIO");
  }
  const src = { file, doc, lines, raw: raw as Record<string, unknown> };
  const bad = valueProblem(raw);
  if (bad?.problem === "cycle") {
    throw new InputError(
      `${locate(src, bad.path, undefined, false) ?? file}: ${fieldName(bad.path)}: refers to itself through an alias`,
      "E_SCENARIO",
    );
  }
  if (bad) {
    const key = String(bad.path.at(-1));
    throw new InputError(
      `${locate(src, bad.path.slice(0, -1), key, false) ?? file}: ${fieldName(bad.path)}: "${key}" is not allowed as a key`,
      "E_SCENARIO",
    );
  }
  return src;
}
