/**
 * One `--vary` axis of a sweep (issue 9, scenario plumbing): `key=a,b,c` (comma-separated plain
 * values, as before) or `key=[v1, v2, …]` — when the text after `=` starts with `[`, it is one YAML
 * flow sequence whose items are the values, so a value can itself be a list or a mapping:
 * `--vary 'jlis.outages=[[], [{start: …, end: …, source: x}]]'` or
 * `--vary 'demand.channels[0].share=[0.5, 0.6]'`. A single list value is `key=[[1,2]]`; `key=[]`
 * has no values. Each value keeps the text the user wrote for it (it names the sweep's rows) and is
 * applied as `key=value` by the loader, which names `--vary` in its messages. Every error here
 * names `--vary` and the key, within the override limits (scenarios/limits.ts).
 * @module
 */
import { isSeq, parseDocument } from "yaml";
import { InputError } from "../engine/errors.js";
import { plural, SCENARIO_LIMITS } from "./limits.js";
import { parseKeyPath } from "./overrides.js";
import { aliasMessage, valueProblem, yamlMessage } from "./yaml-source.js";

/** A key and the values it takes in a sweep (each value as YAML text). */
export interface VaryAxis {
  key: string;
  values: string[];
}

/** Parses one `--vary` argument. @throws InputError naming `--vary` and the key. */
export function parseVary(arg: string): VaryAxis {
  const eq = arg.indexOf("=");
  if (eq <= 0) {
    throw new InputError(`--vary ${arg.slice(0, 80)}: expected key=a,b,c or key=[a, b, c]`);
  }
  const key = arg.slice(0, eq);
  parseKeyPath(key, "--vary");
  const text = arg.slice(eq + 1);
  if (text.length > SCENARIO_LIMITS.valueLength) {
    throw new InputError(
      `--vary ${key}: values are ${plural(text.length, "characters")} long; the limit is ${SCENARIO_LIMITS.valueLength.toLocaleString("en-US")}`,
    );
  }
  const values = text.trimStart().startsWith("[") ? listValues(key, text) : commaValues(key, text);
  return { key, values };
}

function commaValues(key: string, text: string): string[] {
  const list = text.split(",");
  const empty = list.findIndex((x) => x.trim() === "");
  if (empty >= 0) {
    throw new InputError(
      `--vary ${key}=${text.slice(0, 80)}: value ${empty + 1} of ${list.length} is empty; expected key=a,b,c with no empty values`,
    );
  }
  return list;
}

function listValues(key: string, text: string): string[] {
  const where = `--vary ${key}`;
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const err = doc.errors[0];
  if (err) throw new InputError(`${where}: the list of values is not valid YAML: ${yamlMessage(doc, err)}`);
  if (!isSeq(doc.contents)) {
    throw new InputError(`${where}: expected one list of values like [1, 2] or [[1, 2], [3, 4]]`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: SCENARIO_LIMITS.aliasCount });
  } catch (e) {
    throw new InputError(`${where}: the list of values is not valid YAML: ${aliasMessage(e)}`);
  }
  const bad = valueProblem(value);
  if (bad?.problem === "cycle") throw new InputError(`${where}: a value refers to itself through an alias`);
  if (bad) throw new InputError(`${where}: "${String(bad.path.at(-1))}" is not allowed as a key in a value`);
  const items = doc.contents.items;
  if (items.length === 0) {
    throw new InputError(
      `${where}=[]: no values; to vary the field to an empty list, write ${key}=[[]] (a list of values whose one value is [])`,
    );
  }
  return items.map((item, i) => {
    const range = (item as { range?: [number, number, number] } | null)?.range;
    const source = range ? text.slice(range[0], range[1]).trim() : "";
    if (source === "" || /^\*/.test(source)) {
      throw new InputError(
        `${where}: value ${i + 1} of ${items.length} is empty or an alias; write each value out`,
      );
    }
    return source;
  });
}
