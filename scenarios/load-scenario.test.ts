/**
 * Bad scenario input gets one clear InputError naming file:line:column, the field and what was
 * expected (DESIGN.md §9). Bad files are scenarios/history.yaml with one mutation each, written to a
 * temp dir; expected positions are computed from the mutated text, so edits to history.yaml do not
 * break the tests.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { SCENARIO_LIMITS } from "./limits.js";
import { loadScenario } from "./load-scenario.js";
import { applyOverride } from "./overrides.js";

const HISTORY = fileURLToPath(new URL("./history.yaml", import.meta.url));
const BASE = readFileSync(HISTORY, "utf8");
const dir = mkdtempSync(join(tmpdir(), "myna-scenario-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;

/** Writes history.yaml with `from` replaced by `to` (which must occur) and returns the file. */
function mutated(from: string | RegExp, to: string): { file: string; text: string } {
  const text = BASE.replace(from, to);
  expect(text, `mutation ${String(from)} did not apply`).not.toBe(BASE);
  const file = join(dir, `case-${++counter}.yaml`);
  writeFileSync(file, text);
  return { file, text };
}

/**
 * `line:column` (1-based) of `token` on the first line containing `lineNeedle`; with no token, the
 * line's first non-blank character.
 */
function pos(text: string, lineNeedle: string, token?: string): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes(lineNeedle));
  expect(i, `no line contains ${lineNeedle}`).toBeGreaterThanOrEqual(0);
  const line = lines[i]!;
  const col = token === undefined ? line.search(/\S/) : line.indexOf(token, line.indexOf(lineNeedle));
  expect(col).toBeGreaterThanOrEqual(0);
  return `${i + 1}:${col + 1}`;
}

/** The InputError `load` throws. */
function errorOf(load: () => unknown): InputError {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.fail("expected an InputError");
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const oneLine = (e: InputError): string => {
  expect(e.message.split("\n"), e.message).toHaveLength(1);
  return e.message;
};

describe("loadScenario: the shipped scenario", () => {
  it("loads history.yaml", () => {
    const s = loadScenario(HISTORY);
    expect(s.params.name).toBe("history");
    expect(s.params.start).toBe("2016-01-01");
    expect(s.overrides).toEqual([]);
  });
});

describe("loadScenario: bad files", () => {
  it("a non-existent file: one message naming the file", () => {
    const file = join(dir, "no-such-scenario.yaml");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(`${file}: no such file`);
    expect(e.code).toBe("E_SCENARIO");
  });

  it("YAML syntax error (tab indentation) at its line", () => {
    const { file, text } = mutated("  ageProfile: true", "\tageProfile: true");
    const e = errorOf(() => loadScenario(file));
    const line = pos(text, "\tageProfile").split(":")[0];
    expect(oneLine(e)).toMatch(new RegExp(`^${esc(file)}:${line}:\\d+: YAML syntax error: .*[Tt]ab`));
    expect(e.code).toBe("E_SCENARIO");
  });

  it("YAML syntax error (nested compact mapping) at its line and column", () => {
    const { file, text } = mutated("shipping: { days: 4 }", "shipping: days: 4");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toMatch(
      new RegExp(
        `^${esc(file)}:${pos(text, "shipping: days: 4", "days")}: YAML syntax error: Nested mappings`,
      ),
    );
  });

  it("a duplicated key is a YAML error at the duplicate", () => {
    const { file, text } = mutated(
      "notification: { days: 7 }\n",
      "notification: { days: 7 }\nshipping: { days: 3 }\n",
    );
    const e = errorOf(() => loadScenario(file));
    // The message names the key (issue 7: it did not).
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "shipping: { days: 3 }")}: YAML syntax error: duplicate key "shipping" (map keys must be unique)`,
    );
  });

  it("an unknown key (typo `factroy`) names the key at its line and says it is unknown", () => {
    const { file, text } = mutated(/^factory:$/m, "factroy:");
    const e = errorOf(() => loadScenario(file));
    // One message for the typo: the unknown key with a hint, not also "factory: missing".
    expect(e.message).toBe(`${file}:${pos(text, "factroy:")}: factroy: unknown field; did you mean factory?`);
    expect(e.code).toBe("E_SCENARIO");
  });

  it("an unknown nested key (`weekendFactr`) at its line and column", () => {
    const { file, text } = mutated("  weekendFactor:", "  weekendFactr:");
    const e = errorOf(() => loadScenario(file));
    expect(e.message).toContain(`${file}:${pos(text, "weekendFactr")}: counters.weekendFactr: unknown field`);
  });

  it("wrong type: a word where a number is expected", () => {
    const { file, text } = mutated("shipping: { days: 4 }", "shipping: { days: four }");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "shipping: { days: four", "four")}: shipping.days: expected number, received string`,
    );
  });

  it("wrong type: a number where a boolean is expected", () => {
    const { file, text } = mutated("  ageProfile: true", "  ageProfile: 3");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "ageProfile: 3", "3")}: demand.ageProfile: expected boolean, received number`,
    );
  });

  it("a negative capacity", () => {
    const { file, text } = mutated(
      "{ from: 2016-01-01, value: 110000 }",
      "{ from: 2016-01-01, value: -110000 }",
    );
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toMatch(
      new RegExp(
        `^${esc(file)}:${pos(text, "value: -110000", "-110000")}: factory\\.capacityPerDay\\[0\\]\\.value: .*>=0`,
      ),
    );
  });

  it("a malformed date", () => {
    const { file, text } = mutated(/^start: 2016-01-01$/m, "start: 2016-13-01");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "start: 2016-13-01", "2016")}: start: expected a date YYYY-MM-DD`,
    );
  });

  it("end before start", () => {
    const { file, text } = mutated(/^end: .*$/m, "end: 2015-12-31");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "end: 2015-12-31", "2015")}: end: must not be before start (2016-01-01)`,
    );
  });

  it("a campaign that ends before it starts", () => {
    // The cash-handout campaign (the second one): 2020-05-01 … 2020-06-30.
    const { file, text } = mutated("      end: 2020-06-30\n", "      end: 2020-04-30\n");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "end: 2020-04-30", "2020")}: demand.campaigns[1].end: must not be before start (2020-05-01)`,
    );
  });

  it("an outage that ends before it starts", () => {
    const { file, text } = mutated("end: 2016-02-22T16:30", "end: 2016-02-22T12:30");
    const e = errorOf(() => loadScenario(file));
    const index = text
      .slice(text.indexOf("  outages:"))
      .split("\n")
      .filter((l) => l.includes("{ start:"))
      .findIndex((l) => l.includes("2016-02-22T12:30"));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "2016-02-22T12:30", "2016-02-22T12:30")}: jlis.outages[${index}].end: must be after start`,
    );
  });

  it("points offered before their campaign starts", () => {
    const { file, text } = mutated("{ from: 2022-01-01, value: 5000 }", "{ from: 2021-12-01, value: 5000 }");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toMatch(
      new RegExp(
        `^${esc(file)}:${pos(text, "from: 2021-12-01", "2021")}: demand\\.campaigns\\[\\d+\\]\\.yen\\[0\\]\\.from: must not be before the campaign's start \\(2022-01-01\\)$`,
      ),
    );
  });

  it("channel shares that do not sum to 1", () => {
    const { file, text } = mutated("share: 0.5, delayDays: 5", "share: 0.4, delayDays: 5");
    const e = errorOf(() => loadScenario(file));
    // Located at the channels list (its first item).
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "- { name: online-and-photo-booth", "-")}: demand.channels: channel shares must sum to 1, got 0.9`,
    );
  });

  it("a missing required top-level field", () => {
    const { file, text } = mutated(/^notification: .*\n/m, "");
    const e = errorOf(() => loadScenario(file));
    // Located at the mapping that lacks it (the top level starts at `name:`).
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "name: history")}: notification: missing; expected object, received undefined`,
    );
  });

  it("a missing required nested field", () => {
    const { file, text } = mutated(/^ {2}minimumStaff: .*\n/m, "");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "staffPerHundredThousand:")}: counters.minimumStaff: missing; expected number, received undefined`,
    );
  });

  it("a top level that is not a mapping", () => {
    const file = join(dir, "list.yaml");
    writeFileSync(file, "- 1\n- 2\n");
    expect(oneLine(errorOf(() => loadScenario(file)))).toBe(
      `${file}:1:1: expected a mapping of scenario fields at the top level`,
    );
  });
});

describe("loadScenario: --set overrides", () => {
  it("applies valid overrides (value parsed as YAML) and records them", () => {
    const s = loadScenario(HISTORY, [
      "end=2016-12-31",
      "factory.capacityPerDay[0].value=150000",
      "shipping.days=3",
    ]);
    expect(s.params.end).toBe("2016-12-31");
    expect(s.params.factory.capacityPerDay[0]!.value).toBe(150000);
    expect(s.params.shipping.days).toBe(3);
    expect(s.overrides).toEqual([
      "end=2016-12-31",
      "factory.capacityPerDay[0].value=150000",
      "shipping.days=3",
    ]);
    // The file's other values are untouched.
    expect(s.params.start).toBe("2016-01-01");
  });

  it("an unknown path", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["factroy.capacityPerDay[0].value=1"]));
    expect(oneLine(e)).toBe("--set factroy.capacityPerDay[0].value: factroy is not in the scenario");
  });

  it("an unknown leaf and an index past the end", () => {
    expect(errorOf(() => loadScenario(HISTORY, ["shipping.dayz=3"])).message).toBe(
      "--set shipping.dayz: shipping.dayz is not in the scenario",
    );
    expect(errorOf(() => loadScenario(HISTORY, ["factory.capacityPerDay[9].value=1"])).message).toMatch(
      /^--set factory\.capacityPerDay\[9\]\.value: .* is not in the scenario$/,
    );
  });

  it("a malformed assignment or key", () => {
    expect(oneLine(errorOf(() => loadScenario(HISTORY, ["end"])))).toBe("--set end: expected key=value");
    expect(oneLine(errorOf(() => loadScenario(HISTORY, ["a..b=1"])))).toMatch(
      /^--set a\.\.b: expected a dotted key/,
    );
  });

  it("a value that is not valid YAML", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["end=[2016-01-01"]));
    expect(e.message).toMatch(/^--set end: value is not valid YAML: /);
  });

  it("a bad override value is attributed to `--set key`, not to a file line", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["shipping.days=-1"]));
    expect(oneLine(e)).toMatch(/^--set shipping\.days: shipping\.days: .*>=0/);
    expect(e.message).not.toContain(HISTORY);
    const t = errorOf(() => loadScenario(HISTORY, ["factory.capacityPerDay[0].value=abc"]));
    expect(oneLine(t)).toBe(
      "--set factory.capacityPerDay[0].value: factory.capacityPerDay[0].value: expected number, received string",
    );
    const d = errorOf(() => loadScenario(HISTORY, ["end=2015-01-01"]));
    expect(oneLine(d)).toBe("--set end: end: must not be before start (2016-01-01)");
  });

  // A cross-field rule reports on an ancestor of the override; the override is still to blame.
  it("a cross-field error caused by an override names the override", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["demand.channels[1].share=0.4"]));
    expect(e.message).toMatch(
      /^--set demand\.channels\[1\]\.share: demand\.channels: channel shares must sum to 1/,
    );
  });
});

/** Writes `text` as a new file in the temp dir. */
function written(text: string, name = `case-${++counter}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("loadScenario: hostile files (issue 7)", () => {
  it("an unresolved alias: file:line:column naming the alias, not a stack trace", () => {
    const { file, text } = mutated("shipping: { days: 4 }", "shipping: { days: *four }");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "shipping: { days: *four", "*four")}: YAML error: alias *four has no anchor &four before it`,
    );
    expect(e.code).toBe("E_SCENARIO");
  });

  it("an alias bomb stops at the alias limit with file:line:column", () => {
    const bomb =
      "a: &a [x, x, x, x, x, x, x, x, x]\n" +
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    const file = written(bomb);
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:2:8: YAML error: too many alias expansions (the limit is ${SCENARIO_LIMITS.aliasCount}; this guards against alias bombs)`,
    );
  });

  it("an alias inside its own anchor is refused, not walked forever", () => {
    const file = written(`${BASE}\nloop: &l [*l]\n`);
    expect(oneLine(errorOf(() => loadScenario(file)))).toMatch(/loop.*: refers to itself through an alias$/);
  });

  it("a file over 1 MiB is refused before parsing, naming the limit", () => {
    const file = written(BASE + "#".repeat(SCENARIO_LIMITS.fileBytes));
    expect(oneLine(errorOf(() => loadScenario(file)))).toBe(
      `${file}: the file is larger than the limit of 1,048,576 bytes (1 MiB) for a scenario`,
    );
  });

  it("a directory is not a scenario file", () => {
    const sub = join(dir, "a-directory.yaml");
    mkdirSync(sub);
    expect(oneLine(errorOf(() => loadScenario(sub)))).toBe(`${sub}: not a regular file`);
  });

  it("deep nesting is a one-line error, not a stack overflow", () => {
    const file = written(`name: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(oneLine(errorOf(() => loadScenario(file)))).toMatch(
      /^.*:1:\d+: YAML syntax error: nesting too deep$/,
    );
  });

  it("__proto__ as a key in a file is refused at its line; no prototype changes", () => {
    const { file, text } = mutated(/^notification: .*$/m, "notification: { __proto__: { days: 7 } }");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(
      `${file}:${pos(text, "notification: { __proto__", "__proto__")}: notification.__proto__: "__proto__" is not allowed as a key`,
    );
    expect(({} as Record<string, unknown>)["days"]).toBeUndefined();
  });

  it("a missing extends target names the extends field's file:line:column", () => {
    const file = written("extends: no-such-parent.yaml\nname: child\n");
    const e = errorOf(() => loadScenario(file));
    expect(oneLine(e)).toBe(`${file}:1:10: extends: no such file: ${join(dir, "no-such-parent.yaml")}`);
  });

  it("extends: a cycle and a valid parent", () => {
    const a = written("extends: cyc-b.yaml\n", "cyc-a.yaml");
    written("extends: cyc-a.yaml\n", "cyc-b.yaml");
    expect(oneLine(errorOf(() => loadScenario(a)))).toMatch(/^.*cyc-b\.yaml:1:10: extends forms a cycle/);
    writeFileSync(join(dir, "history.yaml"), BASE);
    const child = written("extends: history.yaml\nname: child\n");
    expect(loadScenario(child).params.name).toBe("child");
  });
});

describe("--set: prototype pollution and limits (issue 7)", () => {
  const PROTO = Object.getOwnPropertyNames(Object.prototype).map((k) => [
    k,
    Reflect.get(Object.prototype, k),
  ]);
  const protoIntact = (): void => {
    expect(
      Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Reflect.get(Object.prototype, k)]),
    ).toEqual(PROTO);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  };

  it.each([
    ["__proto__.toString=1", "__proto__"],
    ["__proto__.polluted=1", "__proto__"],
    ["constructor.prototype.polluted=1", "constructor"],
    ["demand.__proto__.polluted=1", "__proto__"],
    ["demand.channels[0].constructor=1", "constructor"],
    ["factory.prototype=1", "prototype"],
  ])("--set %s is refused and Object.prototype is untouched", (assignment, part) => {
    const e = errorOf(() => loadScenario(HISTORY, [assignment]));
    const key = assignment.slice(0, assignment.indexOf("="));
    expect(oneLine(e)).toBe(`--set ${key}: "${part}" is not allowed in a key (it is not a scenario field)`);
    protoIntact();
  });

  it("the setter refuses inherited names even when called directly", () => {
    const root = { a: { b: 1 } };
    expect(() => applyOverride(root, "a.toString=1")).toThrow("a.toString is not in the scenario");
    expect(() => applyOverride(root, "hasOwnProperty=1")).toThrow("is not in the scenario");
    protoIntact();
  });

  it("a value with __proto__ inside is refused", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["demand.channels[0]={ __proto__: { polluted: 1 } }"]));
    expect(oneLine(e)).toBe('--set demand.channels[0]: "__proto__" is not allowed as a key in the value');
    protoIntact();
  });

  it("an array's length cannot be set (it was: 4294967295 aborted at 3.5 GB)", () => {
    const e = errorOf(() => loadScenario(HISTORY, ["demand.channels.length=4294967295"]));
    expect(oneLine(e)).toBe(
      "--set demand.channels.length: demand.channels is a list; expected an index like [0], not .length",
    );
  });

  it("an index beyond the limit names the limit", () => {
    for (const i of ["10000", "4294967295", "99999999999999999999"]) {
      expect(oneLine(errorOf(() => loadScenario(HISTORY, [`demand.channels[${i}].share=1`])))).toBe(
        `--set demand.channels[${i}].share: index ${i} is beyond the limit of 10,000 entries`,
      );
    }
  });

  it("too many overrides, too long a key or value: messages naming the limit", () => {
    const many = Array.from({ length: SCENARIO_LIMITS.overrides + 1 }, () => "shipping.days=3");
    expect(oneLine(errorOf(() => loadScenario(HISTORY, many)))).toBe(
      "101 overrides (--set/--vary values); the limit is 100",
    );
    expect(oneLine(errorOf(() => loadScenario(HISTORY, [`${"a".repeat(201)}=1`])))).toMatch(
      /^--set a{40}…: key is 201 characters long; the limit is 200$/,
    );
    expect(oneLine(errorOf(() => loadScenario(HISTORY, [`description=${"x".repeat(10_001)}`])))).toBe(
      "--set description: value is 10,001 characters long; the limit is 10,000",
    );
  });

  it("an alias bomb or a self-referring alias in a value is refused", () => {
    expect(oneLine(errorOf(() => loadScenario(HISTORY, ["description=&a [*a]"])))).toBe(
      "--set description: value refers to itself through an alias",
    );
    const bomb =
      "[&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], [*c,*c,*c,*c,*c,*c,*c,*c,*c]]";
    expect(oneLine(errorOf(() => loadScenario(HISTORY, [`description=${bomb}`])))).toMatch(
      /^--set description: value is not valid YAML: too many alias expansions \(the limit is 100/,
    );
  });

  it("an override from --vary is named as such", () => {
    const e = errorOf(() =>
      loadScenario(HISTORY, ["shipping.days=3", "shipping.days=-1"], ["--set", "--vary"]),
    );
    expect(oneLine(e)).toMatch(/^--vary shipping\.days: shipping\.days: /);
  });
});
