import { describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { BenchDocumentSchema } from "../sim/run-format/bench.js";
import { benchDocument, formatTarget, makeResult, parseBenchArgs, resultTable } from "./_shared.js";

describe("parseBenchArgs", () => {
  it("reads --json and --quick and keeps the benchmark's own flags", () => {
    expect(parseBenchArgs(["--json", "--quick", "--sizes=10"], ["--sizes="])).toEqual({
      json: true,
      quick: true,
      rest: ["--sizes=10"],
    });
  });

  it("rejects an unknown argument with a typed error naming it and what is accepted", () => {
    const run = () => parseBenchArgs(["--jsno"], ["--sizes="]);
    expect(run).toThrow(InputError);
    expect(run).toThrow(/"--jsno".*--json, --quick, --sizes=/);
  });
});

describe("makeResult", () => {
  it("orients the ratio so that above 1 means we are better, and carries target, quick and stats", () => {
    const fast = makeResult(
      {
        name: "x",
        unit: "ops/s",
        value: 200,
        higherIsBetter: true,
        reference: { name: "ref", value: 100 },
        target: 1.5,
        stats: { meanMs: 5, rme: 1.234, samples: 40 },
      },
      true,
    );
    expect(fast).toMatchObject({ ratio: 2, target: 1.5, quick: true, rme: 1.23, samples: 40 });
    const slowTime = makeResult(
      { name: "t", unit: "ms", value: 40, higherIsBetter: false, reference: { name: "ref", value: 10 } },
      false,
    );
    expect(slowTime).toMatchObject({ ratio: 0.25, target: null, quick: false });
    expect(slowTime).not.toHaveProperty("rme");
  });

  it("gives a plain figure (no reference) no ratio", () => {
    const r = makeResult({ name: "p", unit: "s", value: 3, higherIsBetter: false, target: 10 }, false);
    expect(r.reference).toBeNull();
    expect(r.ratio).toBeNull();
  });
});

describe("resultTable", () => {
  it("prints each target and whether it is met", () => {
    const rows = [
      makeResult(
        {
          name: "a",
          unit: "x",
          value: 2,
          higherIsBetter: true,
          reference: { name: "r", value: 1 },
          target: 1.5,
        },
        false,
      ),
      makeResult({ name: "b", unit: "ns", value: 250, higherIsBetter: false, target: 200 }, false),
      makeResult({ name: "c", unit: "ms", value: 1, higherIsBetter: false }, false),
    ];
    const lines = resultTable(rows).split("\n");
    expect(lines[0]).toMatch(/target\s+met$/);
    expect(lines[2]).toMatch(/≥ 1\.5×\s+pass$/);
    expect(lines[3]).toMatch(/≤ 200 ns\s+FAIL$/);
    expect(lines[4]).toMatch(/—\s+—$/);
    expect(formatTarget(rows[1]!)).toBe("≤ 200 ns");
  });
});

describe("benchDocument", () => {
  it("builds a document the schema accepts", () => {
    const doc = benchDocument([makeResult({ name: "a", unit: "s", value: 1, higherIsBetter: false }, true)]);
    expect(BenchDocumentSchema.safeParse(doc).success).toBe(true);
  });

  it("refuses to produce a document that does not fit the schema", () => {
    const bad = {
      ...makeResult({ name: "a", unit: "s", value: 1, higherIsBetter: false }, false),
      samples: 1.5,
    };
    expect(() => benchDocument([bad])).toThrow(/schema/);
  });
});
