/**
 * Loads a scenario YAML file: parses it, applies `--set key=value` overrides, validates it against
 * {@link scenarioSchema} and its cross-field rules, and reports the first problems as one clear
 * message — `file:line:column: field: what was expected` — in an {@link InputError}. Nothing is
 * run or written before a scenario passes. A file may start from another with `extends: other.yaml`
 * (mappings merge key by key; lists and values are replaced).
 *
 * Every input has a limit its error names ({@link SCENARIO_LIMITS}): file size, YAML alias
 * expansions, `extends` depth, the number and size of overrides, and array indexes. Keys named
 * `__proto__`, `constructor` or `prototype` are refused in files and overrides, and overrides only
 * ever replace a scenario's own existing fields (never an array's `length`), so no input can reach
 * an object's prototype.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, visit, type Document } from "yaml";
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

/** Limits on scenario input; each error that enforces one names it. */
export const SCENARIO_LIMITS = {
  /** Bytes in one scenario file. */
  fileBytes: 1024 * 1024,
  /** Files in one `extends` chain. */
  extendsDepth: 8,
  /** YAML alias expansions per document (the `yaml` package's `maxAliasCount`). */
  aliasCount: 100,
  /** `--set` / `--vary` assignments in one command. */
  overrides: 100,
  /** Characters in one override key. */
  keyLength: 200,
  /** Characters in one override value. */
  valueLength: 10_000,
  /** Array indexes in override keys are below this. */
  arrayIndex: 10_000,
} as const;

/** Keys that would reach an object's prototype if used as property names. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const plural = (n: number, what: string): string => `${n.toLocaleString("en-US")} ${what}`;

/** Parses `a.b[2].c` or `a.b.2.c` into a path. @throws InputError naming `flag` and the key. */
export function parseKeyPath(key: string, flag = "--set"): Path {
  if (key.length > SCENARIO_LIMITS.keyLength) {
    throw new InputError(
      `${flag} ${key.slice(0, 40)}…: key is ${plural(key.length, "characters")} long; the limit is ${SCENARIO_LIMITS.keyLength}`,
    );
  }
  if (!/^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*$/.test(key)) {
    throw new InputError(`${flag} ${key}: expected a dotted key like factory.capacityPerDay[0].value`);
  }
  return key
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((p) => {
      if (FORBIDDEN_KEYS.has(p)) {
        throw new InputError(`${flag} ${key}: "${p}" is not allowed in a key (it is not a scenario field)`);
      }
      if (!/^\d+$/.test(p)) return p;
      const index = p.length > 6 ? Infinity : Number(p);
      if (index >= SCENARIO_LIMITS.arrayIndex) {
        throw new InputError(
          `${flag} ${key}: index ${p} is beyond the limit of ${SCENARIO_LIMITS.arrayIndex.toLocaleString("en-US")} entries`,
        );
      }
      return index;
    });
}

const hasOwn = (o: object, k: string | number): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Applies one `key=value` override (value parsed as YAML) to a plain object, in place. Only an
 * existing own field is replaced: a mapping's key or an array's existing index, never `length`.
 */
export function applyOverride(root: unknown, assignment: string, flag = "--set"): Path {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new InputError(`${flag} ${assignment.slice(0, 80)}: expected key=value`);
  const key = assignment.slice(0, eq);
  const path = parseKeyPath(key, flag);
  const text = assignment.slice(eq + 1);
  if (text.length > SCENARIO_LIMITS.valueLength) {
    throw new InputError(
      `${flag} ${key}: value is ${plural(text.length, "characters")} long; the limit is ${SCENARIO_LIMITS.valueLength.toLocaleString("en-US")}`,
    );
  }
  const value = parseValue(text, `${flag} ${key}`);
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const owns =
      node !== null &&
      typeof node === "object" &&
      (Array.isArray(node) ? typeof seg === "number" && seg < node.length : hasOwn(node, seg));
    if (!owns) {
      if (Array.isArray(node) && typeof seg === "string") {
        throw new InputError(
          `${flag} ${key}: ${fieldName(path.slice(0, i))} is a list; expected an index like [0], not .${seg}`,
        );
      }
      const at = i === path.length - 1 ? key : fieldName(path.slice(0, i + 1));
      throw new InputError(`${flag} ${key}: ${at} is not in the scenario`);
    }
    if (i === path.length - 1) {
      Object.defineProperty(node, seg, { value, writable: true, enumerable: true, configurable: true });
    } else {
      node = (node as Record<string | number, unknown>)[seg];
    }
  }
  return path;
}

/** An override's value as YAML (one document, limited aliases, no keys that reach prototypes). */
function parseValue(text: string, where: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const err = doc.errors[0];
  if (err) throw new InputError(`${where}: value is not valid YAML: ${yamlMessage(doc, err)}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: SCENARIO_LIMITS.aliasCount });
  } catch (e) {
    throw new InputError(`${where}: value is not valid YAML: ${aliasMessage(e)}`);
  }
  const bad = valueProblem(value);
  if (bad?.problem === "cycle") throw new InputError(`${where}: value refers to itself through an alias`);
  if (bad)
    throw new InputError(`${where}: "${String(bad.path.at(-1))}" is not allowed as a key in the value`);
  return value;
}

/**
 * The first problem in a parsed value, by an iterative walk: a key named like a prototype property,
 * or a cycle (an alias inside its own anchor, `&a [*a]`), which no scenario field can hold.
 */
function valueProblem(value: unknown): { path: Path; problem: "forbidden" | "cycle" } | null {
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
function yamlMessage(doc: Document, err: { code: string; message: string; pos: [number, number] }): string {
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
function aliasMessage(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/Excessive alias count/.test(m)) {
    return `too many alias expansions (the limit is ${SCENARIO_LIMITS.aliasCount}; this guards against alias bombs)`;
  }
  const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(m);
  if (unresolved) return `alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`;
  return m.split("\n")[0]!;
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

function readSource(file: string): SourceFile {
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

/** Deep merge for `extends`: mappings merge key by key, anything else (lists too) is replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (base === null || over === null || typeof base !== "object" || typeof over !== "object") return over;
  if (Array.isArray(base) || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const merged = hasOwn(out, k) ? merge(out[k], v) : v;
    Object.defineProperty(out, k, { value: merged, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

/** Reads `file` and the files it `extends` (child first), refusing cycles and long chains. */
function readChain(file: string): SourceFile[] {
  const chain: SourceFile[] = [];
  let next: string | null = file;
  while (next !== null) {
    const current: string = next;
    const child = chain.at(-1);
    const extendsAt = (): string =>
      (child && locate(child, ["extends"], undefined, false)) ?? child?.file ?? file;
    if (chain.some((c) => resolve(c.file) === resolve(current))) {
      throw new InputError(`${extendsAt()}: extends forms a cycle through ${current}`, "E_SCENARIO");
    }
    if (chain.length >= SCENARIO_LIMITS.extendsDepth) {
      throw new InputError(
        `${extendsAt()}: extends: more than ${SCENARIO_LIMITS.extendsDepth} files in the chain (the limit)`,
        "E_SCENARIO",
      );
    }
    let src: SourceFile;
    try {
      src = readSource(current);
    } catch (e) {
      // A missing or unreadable parent is the `extends` line's fault: say where it is.
      if (child && e instanceof InputError && e.message.startsWith(`${current}: `)) {
        throw new InputError(
          `${extendsAt()}: extends: ${e.message.slice(current.length + 2)}: ${current}`,
          "E_SCENARIO",
        );
      }
      throw e;
    }
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

/**
 * Loads, overrides and validates a scenario file. `flags` names the flag each override came from
 * (default `--set`), for messages. @throws InputError with every problem found.
 */
export function loadScenario(
  file: string,
  overrides: string[] = [],
  flags: readonly string[] = [],
): LoadedScenario {
  if (overrides.length > SCENARIO_LIMITS.overrides) {
    throw new InputError(
      `${plural(overrides.length, "overrides")} (--set/--vary values); the limit is ${SCENARIO_LIMITS.overrides}`,
    );
  }
  const chain = readChain(file);
  const raw = chain.reduceRight<unknown>((acc, src) => merge(acc, src.raw), {}) as Record<string, unknown>;
  delete raw["extends"];
  const overridden = new Map<string, string>();
  overrides.forEach((o, i) => {
    const flag = flags[i] ?? "--set";
    overridden.set(fieldName(applyOverride(raw, o, flag)), flag);
  });

  const where = (path: Path, unknownKey?: string): string => {
    const name = fieldName(path);
    const within = (inner: string, outer: string): boolean =>
      inner === outer ||
      inner.startsWith(`${outer}.`) ||
      inner.startsWith(`${outer}[`) ||
      outer === "(top level)";
    // An error at or below an overridden field, or a cross-field rule above one, is the override's.
    for (const [o, flag] of overridden)
      if (within(name, o) || within(o, name)) {
        return `${flag} ${o}`;
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
