/**
 * `--set key=value` and `--vary key=…` overrides (DESIGN.md §7, §9, issue 7): a dotted key such as
 * `factory.capacityPerDay[0].value` parsed into a path within the key limits, the value parsed as
 * YAML within the value and alias limits, and an own-field-only setter. An override only ever
 * replaces a scenario's own existing field (a mapping's key or an array's existing index, never
 * `length`), and keys named `__proto__`, `constructor` or `prototype` are refused, so no override
 * can reach an object's prototype. Bad input is one {@link InputError} naming the flag and the key.
 * @module
 */
import { parseDocument } from "yaml";
import { InputError } from "../engine/errors.js";
import { FORBIDDEN_KEYS, plural, SCENARIO_LIMITS } from "./limits.js";
import { aliasMessage, fieldName, valueProblem, yamlMessage, type Path } from "./yaml-source.js";

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

/** True when `k` is `o`'s own property (never one it inherits). */
export const hasOwn = (o: object, k: string | number): boolean => Object.prototype.hasOwnProperty.call(o, k);

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
