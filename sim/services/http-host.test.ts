import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./_test-http.js";
import type { RequestContext, RunningHost } from "./http-host.js";
import { startHost } from "./http-host.js";
import { MetricsRegistry } from "./metrics.js";
import { memorySink, ServiceLogger } from "./request-log.js";

describe("the host's request context", () => {
  const seen: RequestContext[] = [];
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({
      routes: [
        {
          method: "POST",
          path: "/echo/:name",
          handler: async (ctx) => {
            seen.push(ctx);
            ctx.annotate({ name: ctx.params.name });
            ctx.timing("work", 1.5);
            return { json: { name: ctx.params.name, body: await ctx.json(), closed: ctx.clientClosed } };
          },
        },
      ],
      admission: { maxInFlight: 4, queue: 4, maxWaitMs: 100 },
      logger: new ServiceLogger(memorySink()),
      metrics: new MetricsRegistry(),
      bodyLimit: 1024,
    });
  });
  afterAll(() => host.drain());

  it("answers with the params, body and Server-Timing split the handler gave", async () => {
    const r = await call(host.url, "POST", "/echo/a%20b", JSON.stringify({ x: 1 }));
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ name: "a b", body: { x: 1 }, closed: false });
    expect(String(r.headers["server-timing"])).toMatch(/^app;dur=[\d.]+, work;dur=1\.500$/);
  });

  // Regression (bench:load, 2026-12-02): the context was an object literal with getters, which gave
  // every request a hidden class of its own; the young-generation GC kept each one alive, with the
  // request's whole closure, until the next full GC (scavenges of 5–6 ms instead of 0.3 ms).
  it("has no getters of its own: every request's context shares one prototype's accessors", async () => {
    await call(host.url, "POST", "/echo/one", "{}");
    await call(host.url, "POST", "/echo/two", "{}");
    const [a, b] = seen.slice(-2);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    for (const ctx of [a!, b!])
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(ctx)))
        expect({ name, accessor: d.get !== undefined || d.set !== undefined }).toEqual({
          name,
          accessor: false,
        });
    expect(a!.signal).toBeInstanceOf(AbortSignal);
    expect(a!.signal.aborted).toBe(false);
  });
});
