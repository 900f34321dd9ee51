/**
 * The limits every scenario input obeys (DESIGN.md §9, issue 7): file size, YAML alias expansions,
 * `extends` depth, the number and size of `--set`/`--vary` overrides and array indexes, plus the
 * keys that are refused everywhere because they would reach an object's prototype. Each error that
 * enforces a limit names it.
 * @module
 */

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
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A count with its unit and thousands separators, as limit messages show it. */
export const plural = (n: number, what: string): string => `${n.toLocaleString("en-US")} ${what}`;
