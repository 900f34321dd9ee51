/**
 * The hub benchmark's workload (issue 12 item 7) sends real exchanges, not filler: on a fresh hub
 * directory every pre-signed body decodes as a canonical request, its Ed25519 signature verifies
 * under the requester's public key, the exchange is lawful for the whitelist, the requester's code
 * resolves in the hub's store, and no exchange id repeats. The design peak the benchmark compares
 * with is the network model's (640 M a year at its busiest hour).
 */
import { verify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeRequest } from "../sim/network/hub/exchange-message.js";
import { initHubDirectory, loadHubDirectory } from "../sim/network/hub/hub-directory.js";
import { HubCore } from "../sim/network/hub/hub-core.js";
import { openHubEnv } from "../sim/network/hub/hub-env.js";
import { memoryLogger } from "../sim/network/network-logger.js";
import { DESIGN_PEAK_PER_SECOND, hubSettingsOf, hubWorkload } from "./_load-hub.js";

describe("bench:load hub workload", () => {
  const base = mkdtempSync(join(tmpdir(), "myna-hub-bench-test-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("the design peak hour is 640 M × 11 % (June) × 15 % ÷ 20 working days ÷ 3,600 s", () => {
    expect(DESIGN_PEAK_PER_SECOND).toBeCloseTo((640e6 * 0.11 * 0.15) / 20 / 3600, 9);
    expect(hubSettingsOf({ quick: true, seconds: 1 })).toEqual({
      quick: true,
      seconds: 1,
      startRate: 20,
      maxSteps: 12,
    });
  });

  it("every pre-signed body is a canonical, correctly signed, lawful exchange of an enrolled person", () => {
    const dir = join(base, "hub");
    initHubDirectory(dir, { perKind: 1, now: Date.now() });
    const wl = hubWorkload(dir);
    expect(wl.enrolled).toBeGreaterThan(0);
    const bodies = [...wl.bodies(300), ...wl.bodies(300)];
    const hub = loadHubDirectory(dir);
    const env = openHubEnv(hub.storeDir);
    const logger = memoryLogger();
    const core = new HubCore(hub.coreKey, hub.directory, env, logger);
    const ids = new Set<string>();
    const pairs = new Set<string>();
    try {
      for (const b of bodies) {
        const { message, signature } = JSON.parse(b) as { message: string; signature: string };
        const bytes = Buffer.from(message, "base64");
        const r = decodeRequest(bytes);
        expect(
          verify(null, bytes, hub.institutions.get(r.requester)!.publicKey, Buffer.from(signature, "base64")),
        ).toBe(true);
        for (const item of r.dataItems)
          core.whitelist.check(
            { requester: r.requester, provider: r.provider, dataItem: item, procedure: r.procedure },
            logger,
          );
        expect(core.resolve(r.requester, r.requesterCode)).toMatch(/^[0-9a-f]{32}$/);
        ids.add(r.exchangeId);
        pairs.add(`${r.requester}>${r.provider}`);
      }
    } finally {
      env.env.close();
    }
    expect(logger.lines.filter((l) => l.level === "warn")).toEqual([]);
    expect(ids.size).toBe(bodies.length);
    expect(pairs.size).toBeGreaterThan(5);
  }, 60_000);
});
