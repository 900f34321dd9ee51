/**
 * `extends:` chains (issue 9, scenario plumbing): an absolute parent path is used as written (it
 * was joined to the child's folder and failed), and an error is reported at the file and line where
 * the offending field is written — a field inside a list the child replaces is the child's, even
 * when the parent has the same path (it was reported at the parent's line); a field only the parent
 * writes stays the parent's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenario } from "./load-scenario.js";

const PLAN = fileURLToPath(new URL("./plan-87m.yaml", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-extends-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const written = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

function messageOf(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  return expect.fail("expected an InputError");
}

describe("extends with an absolute path", () => {
  it("loads the parent named by its absolute path", () => {
    const child = written("abs-child.yaml", `extends: ${PLAN}\nname: abs-child\n`);
    const s = loadScenario(child);
    expect(s.params.name).toBe("abs-child");
    expect(s.params.target.cards).toBe(loadScenario(PLAN).params.target.cards);
  });

  it("a relative path is still taken from the child's folder", () => {
    const child = written("rel-child.yaml", `extends: ${relative(dir, PLAN)}\nname: rel-child\n`);
    expect(loadScenario(child).params.name).toBe("rel-child");
  });

  it("a missing absolute parent is named as written, at the extends line", () => {
    const missing = join(dir, "nowhere", "parent.yaml");
    const child = written("abs-missing.yaml", `extends: ${missing}\nname: x\n`);
    expect(messageOf(() => loadScenario(child))).toBe(`${child}:1:10: extends: no such file: ${missing}`);
  });
});

describe("errors are reported where the field is written", () => {
  it("a field missing from a list the child replaces: the child's line, not the parent's", () => {
    const child = written(
      "list-child.yaml",
      [
        `extends: ${relative(dir, PLAN)}`,
        "name: list-child",
        "demand:",
        "  channels:",
        "    - name: online",
        "      share: 1",
        "",
      ].join("\n"),
    );
    expect(messageOf(() => loadScenario(child))).toBe(
      `${child}:5:7: demand.channels[0].delayDays: missing; expected number, received undefined`,
    );
  });

  it("a bad value inside a list the child replaces: the child's line", () => {
    const child = written(
      "list-child-2.yaml",
      [
        `extends: ${relative(dir, PLAN)}`,
        "factory:",
        "  capacityPerDay:",
        "    - { from: 2016-01-01, value: 1 }",
        "    - { from: 2016-06-01, value: -5 }",
        "",
      ].join("\n"),
    );
    expect(messageOf(() => loadScenario(child))).toMatch(
      new RegExp(
        `^${child.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5:34: factory\\.capacityPerDay\\[1\\]\\.value: `,
      ),
    );
  });

  it("an error in the parent (the extended file) is reported in the parent, at its line", () => {
    const parent = written(
      "bad-parent.yaml",
      [`extends: ${relative(dir, PLAN)}`, "shipping:", "  days: 500", ""].join("\n"),
    );
    const child = written(
      "good-child.yaml",
      ["extends: bad-parent.yaml", "name: good-child", "shipping: {}", ""].join("\n"),
    );
    expect(messageOf(() => loadScenario(child))).toMatch(
      new RegExp(`^${parent.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:9: shipping\\.days: `),
    );
  });
});
