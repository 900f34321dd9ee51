/**
 * `--vary` values (issue 9): plain `key=a,b,c` as before, and `key=[…]` — one YAML list whose items
 * are the values, so a value can be a list (it could not: `[1,2]` was cut at its comma). Every
 * error names `--vary` and the key, never `--set`.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { mulberry32, randomInt } from "../engine/random/small-prng.js";
import { parseVary } from "./vary.js";

function errorOf(arg: string): string {
  try {
    parseVary(arg);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  return expect.fail(`expected an InputError for ${arg}`);
}

describe("parseVary", () => {
  it("comma-separated plain values, as before", () => {
    expect(parseVary("shipping.days=1,2,5")).toEqual({ key: "shipping.days", values: ["1", "2", "5"] });
  });

  it("a YAML list of scalars gives the same values", () => {
    expect(parseVary("shipping.days=[1, 2, 5]").values).toEqual(["1", "2", "5"]);
  });

  it("list values: each item of the list is one value, as written", () => {
    expect(parseVary("demand.channels=[[1,2],[3,4]]").values).toEqual(["[1,2]", "[3,4]"]);
    expect(
      parseVary("jlis.outages=[[], [{start: 2016-02-22T13:00, end: 2016-02-22T16:30, source: x}]]").values,
    ).toEqual(["[]", "[{start: 2016-02-22T13:00, end: 2016-02-22T16:30, source: x}]"]);
    expect(parseVary('k=["a,b", c]').values).toEqual(['"a,b"', "c"]);
  });

  it("one list value is [[…]]; an empty list of values is an error that says how to write []", () => {
    expect(parseVary("jlis.outages=[[]]").values).toEqual(["[]"]);
    expect(errorOf("jlis.outages=[]")).toBe(
      "--vary jlis.outages=[]: no values; to vary the field to an empty list, write jlis.outages=[[]] (a list of values whose one value is [])",
    );
  });

  it("every error names --vary and the key", () => {
    const cases = [
      "shipping.days=[1,",
      "shipping.days=[1,,2]",
      "shipping.days=[&a 1, *a]",
      "shipping.days=1,,2",
      "shipping days=1",
      "__proto__.x=1",
      "shipping.days",
      `shipping.days=[${"1,".repeat(6000)}1]`,
    ];
    for (const c of cases) {
      const m = errorOf(c);
      expect(m, c).toMatch(/^--vary /);
      expect(m, c).not.toMatch(/--set/);
    }
    expect(errorOf("shipping.days=[1,")).toMatch(
      /^--vary shipping\.days: the list of values is not valid YAML: /,
    );
    expect(errorOf(`shipping.days=[${"1,".repeat(6000)}1]`)).toMatch(/the limit is 10,000$/);
  });
});

describe("parseVary on random input (fixed seed)", () => {
  it("2,000 random --vary arguments: values or one InputError naming --vary, never another error", () => {
    const rnd = mulberry32(9);
    const alphabet = [
      "[",
      "]",
      "{",
      "}",
      ",",
      ":",
      " ",
      "1",
      "a",
      '"',
      "'",
      "&x",
      "*x",
      "-",
      "\n",
      "#",
      "[]",
    ];
    let values = 0;
    for (let n = 0; n < 2000; n++) {
      const len = randomInt(rnd, 24);
      let text = "";
      for (let i = 0; i < len; i++) text += alphabet[randomInt(rnd, alphabet.length)]!;
      try {
        const axis = parseVary(`shipping.days=${text}`);
        expect(axis.values.length).toBeGreaterThan(0);
        for (const v of axis.values) expect(v.trim()).not.toBe("");
        values++;
      } catch (e) {
        expect(e, text).toBeInstanceOf(InputError);
        expect((e as Error).message, text).toMatch(/^--vary shipping\.days/);
      }
    }
    expect(values).toBeGreaterThan(0);
  });
});
