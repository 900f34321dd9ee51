/**
 * The saved benchmark documents (bench/results/*.json, what bench/README.md's tables come from and
 * what the dashboard reads) fit the schema of sim/run-format/bench.ts, are full runs, and keep the
 * like-for-like rule of DESIGN.md §8 for the rows issue 8 found wrong.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BenchDocumentSchema } from "../sim/run-format/bench.js";

const DIR = fileURLToPath(new URL("./results/", import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));

describe("bench/results", () => {
  it("holds the des, crypto and crl documents", () => {
    expect(files).toEqual(expect.arrayContaining(["crl.json", "crypto.json", "des.json"]));
  });

  for (const file of files) {
    describe(file, () => {
      const raw: unknown = JSON.parse(readFileSync(join(DIR, file), "utf8"));

      it("fits the benchmark document schema", () => {
        const parsed = BenchDocumentSchema.safeParse(raw);
        expect(parsed.error?.message).toBeUndefined();
      });

      it("comes from a full run, and every ratio has a reference", () => {
        const doc = BenchDocumentSchema.parse(raw);
        expect(doc.results.length).toBeGreaterThan(0);
        for (const r of doc.results) {
          expect(r.quick, r.name).toBe(false);
          expect(r.ratio === null, r.name).toBe(r.reference === null);
        }
      });

      it("compares issuance and full authentication with nothing, and OpenSSL's CRL process only cold", () => {
        const doc = BenchDocumentSchema.parse(raw);
        for (const r of doc.results) {
          if (/^crypto\.(pool\.issue|auth)\./.test(r.name)) expect(r.reference, r.name).toBeNull();
          if (r.reference?.name.startsWith("openssl crl"))
            expect(r.name, r.reference.name).toMatch(/\.cold|peakRss\./);
          if (/^crl\.parse\.warm|^crl\.parseNoVerify\.warm/.test(r.name))
            expect(r.reference, r.name).toBeNull();
        }
      });
    });
  }
});
