// @vitest-environment jsdom
/**
 * The run view's authentication section: present with the latency-against-cards chart and the
 * target line when summary.json has an auth part, absent otherwise.
 */
import { describe, expect, it } from "vitest";
import { AUTH_FIXTURE } from "../../sim/run-format/_auth-fixture.js";
import { authSection } from "../src/views/auth-view.js";

describe("auth section of the run view", () => {
  it("shows the chart with the 87 M line, the busiest day and the servers needed", () => {
    const el = authSection(AUTH_FIXTURE, 640)!;
    expect(el.id).toBe("auth");
    const svg = el.querySelector("figure[data-chart=auth-latency] svg");
    expect(svg).not.toBeNull();
    expect(svg!.textContent).toContain("87 M target");
    expect(el.textContent).toContain("Busiest day 2025-12-22");
    expect(el.textContent).toContain("1 platform, 1 J-LIS");
  });

  it("is absent for runs without an auth model", () => {
    expect(authSection(undefined, 640)).toBeNull();
  });
});
