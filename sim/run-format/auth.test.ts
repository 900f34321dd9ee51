import { describe, expect, it } from "vitest";
import { allElements, parseXml } from "../../engine/charts/_wellformed.js";
import { AUTH_FIXTURE } from "./_auth-fixture.js";
import { AuthSummarySchema, authLatencyChart } from "./auth.js";

describe("auth run format", () => {
  it("accepts a well-formed auth summary and refuses a short quantile table", () => {
    expect(AuthSummarySchema.parse(AUTH_FIXTURE)).toEqual(AUTH_FIXTURE);
    const bad = { ...AUTH_FIXTURE, serviceTimes: { ...AUTH_FIXTURE.serviceTimes, jlisMs: [1, 2] } };
    expect(AuthSummarySchema.safeParse(bad).success).toBe(false);
  });

  it("draws latency against cards with the target line, as well-formed SVG", () => {
    const svg = authLatencyChart(AUTH_FIXTURE);
    const root = parseXml(svg);
    const paths = allElements(root).filter((e) => e.name === "path" && e.attrs["class"] === "mt-line");
    expect(paths).toHaveLength(3);
    expect(svg).toContain("87 M target");
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
