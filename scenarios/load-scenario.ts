/**
 * Loads a scenario file (DESIGN.md §7, §9, issue 7): reads it and the files it `extends`
 * (`extends: other.yaml`; mappings merge key by key, lists and values are replaced), applies
 * `--set key=value` overrides, validates the result against {@link scenarioSchema} and its
 * cross-field rules, and reports the first problems as one clear message — `file:line:column:
 * field: what was expected` — in an {@link InputError}. Nothing is run or written before a
 * scenario passes.
 *
 * Every input has a limit its error names (scenarios/limits.ts); reading and parsing a file is
 * scenarios/yaml-source.ts, the overrides scenarios/overrides.ts. Keys named `__proto__`,
 * `constructor` or `prototype` are refused in files and overrides, and the merge only defines own
 * fields, so no input can reach an object's prototype.
 * @module
 */
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ZodError } from "zod";
import { InputError } from "../engine/errors.js";
import type { IssuanceParams } from "../sim/issuance/params.js";
import { plural, SCENARIO_LIMITS } from "./limits.js";
import { applyOverride, hasOwn } from "./overrides.js";
import { plausibilityWarnings } from "./plausibility.js";
import { resolveCounterfactuals } from "./counterfactuals.js";
import type { ResolvedCounterfactual } from "../sim/issuance/counterfactuals.js";
import { refineScenario, scenarioSchema, toIssuanceParams } from "./schema.js";
import { uncertaintyPathProblems } from "../sim/issuance/calibration/uncertainty.js";
import { fieldName, locate, locateInChain, readSource, type Path, type SourceFile } from "./yaml-source.js";

/** A validated scenario and where it came from. */
export interface LoadedScenario {
  file: string;
  params: IssuanceParams;
  /** The overrides applied, as given (`key=value`). */
  overrides: string[];
  /** The scenario's `counterfactuals:`, each with the parameters it runs with. */
  counterfactuals: ResolvedCounterfactual[];
  /**
   * Implausible magnitudes (scenarios/plausibility.ts), each `file:line:column: field: message`
   * (or `--set key: field: message`): printed on stderr and recorded in the manifest; not errors.
   */
  warnings: string[];
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
    // Relative to the file that names it; an absolute path stands as written.
    next = parent === undefined ? null : isAbsolute(parent) ? parent : join(dirname(current), parent);
  }
  return chain;
}

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
    return locateInChain(chain, path, unknownKey) ?? locate(chain[0]!, path, unknownKey, false) ?? file;
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
  const params = toIssuanceParams(parsed.data);
  const badPaths = uncertaintyPathProblems(params);
  if (badPaths.length > 0) {
    throw new InputError(
      badPaths
        .map((b) => {
          const path: Path = ["uncertainty", "parameters", b.index, "path"];
          return `${where(path)}: ${fieldName(path)}: ${b.message}`;
        })
        .join("\n"),
      "E_SCENARIO",
    );
  }
  const warnings = plausibilityWarnings(parsed.data).map(
    (w) => `${where(w.path)}: ${fieldName(w.path)}: ${w.message}`,
  );
  return { file, params, overrides, counterfactuals: resolveCounterfactuals(params, where), warnings };
}

/** Writes each warning on stderr as `warning: file:line:column: field: message` (the run goes on). */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
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
