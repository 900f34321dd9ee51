/**
 * The open-loop generator of bench:load (bench/_load-open-loop.ts) against a local node:http server
 * on 127.0.0.1: every scheduled request is accounted for (sent or dropped), answers are counted by
 * status (connection errors by code), idle connections are closed before the server's keep-alive
 * timeout, latency is recorded both ways with corrected ≥ raw, Server-Timing is read, and a run
 * whose sends are dropped (too many open requests) is void.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseServerTiming, runOpenLoop } from "./_load-open-loop.js";

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe("runOpenLoop", () => {
  it("sends every request on schedule and records corrected and raw latency of 2xx answers", async () => {
    let seen = 0;
    const bodies: string[] = [];
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        bodies.push(body);
        const n = ++seen;
        res.writeHead(n % 5 === 0 ? 429 : 200, {
          "server-timing": 'app;dur=0.250, pre;dur=0.1, verify;desc="rsa";dur=0.075',
        });
        res.end("{}");
      });
    });
    const r = await runOpenLoop({
      url,
      rate: 400,
      count: 200,
      method: "POST",
      path: "/x",
      headers: { "content-type": "application/json" },
      bodies: ["a", "b"],
      lateMs: 1000,
    });
    expect(r.sent + r.dropped).toBe(200);
    expect(r.dropped).toBe(0);
    expect(seen).toBe(200);
    expect(bodies.filter((b) => b === "a")).toHaveLength(100);
    expect(r.statuses).toEqual({ "200": 160, "429": 40 });
    expect([r.ok, r.shed, r.errors]).toEqual([160, 40, 0]);
    expect(r.corrected.count).toBe(160);
    expect(r.raw.count).toBe(160);
    expect(r.correctedAll.count).toBe(200);
    expect(r.corrected.p50).toBeGreaterThanOrEqual(r.raw.p50);
    expect(r.corrected.p99).toBeGreaterThanOrEqual(r.raw.p99);
    expect(r.corrected.max).toBeGreaterThanOrEqual(r.raw.max);
    expect(r.serverMs).toHaveLength(160);
    expect(r.serverMs[0]).toBe(0.25);
    expect(r.serverTimings).toHaveLength(160);
    expect(r.sendLagMs).toHaveLength(200);
    expect(Math.min(...r.sendLagMs)).toBeGreaterThanOrEqual(0);
    expect(r.serverTimings[0]).toEqual({ app: 0.25, pre: 0.1, verify: 0.075 });
    // Each timing names its request (the 160 answered 2xx), each once.
    expect(new Set(r.serverTimingsRequest).size).toBe(160);
    expect(Math.max(...r.serverTimingsRequest)).toBeLessThan(200);
    expect(r.void).toBe(false);
  });

  it("counts connection errors by their code", async () => {
    let seen = 0;
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => {
        if (++seen % 4 === 0) req.socket.destroy();
        else res.end("{}");
      });
    });
    const r = await runOpenLoop({
      url,
      rate: 200,
      count: 40,
      method: "POST",
      path: "/x",
      headers: {},
      bodies: null,
      lateMs: 1000,
    });
    expect(r.ok + r.errors).toBe(40);
    expect(r.errors).toBe(10);
    expect(r.errorCodes).toEqual({ ECONNRESET: 10 });
  });

  it("closes a kept-alive connection once it has idled for idleSocketMs, before the server would", async () => {
    let connections = 0;
    const url = await serve((req, res) => {
      req.resume();
      req.on("end", () => res.end("{}"));
    });
    server!.keepAliveTimeout = 60_000;
    server!.on("connection", () => connections++);
    // Two sends 300 ms apart: the first connection has idled 300 ms when the second is due.
    const plan = {
      url,
      rate: 1000 / 300,
      count: 2,
      method: "POST",
      path: "/x",
      headers: {},
      lateMs: 1000,
    } as const;
    const kept = await runOpenLoop({ ...plan, bodies: null });
    expect([kept.ok, connections]).toEqual([2, 1]);
    connections = 0;
    const closed = await runOpenLoop({ ...plan, bodies: null, idleSocketMs: 100 });
    expect([closed.ok, closed.errors, connections]).toEqual([2, 0, 2]);
  });

  it("counts a request late until its write has ended: the service cannot see it before", async () => {
    // The server reads nothing for 150 ms, so a 16 MiB body cannot leave the generator before then.
    const url = await serve((req, res) => {
      req.pause();
      setTimeout(() => {
        req.resume();
        req.on("end", () => res.end("{}"));
      }, 150);
    });
    const r = await runOpenLoop({
      url,
      rate: 10,
      count: 1,
      method: "POST",
      path: "/x",
      headers: {},
      bodies: ["x".repeat(16 * 1024 * 1024)],
      lateMs: 1000,
    });
    expect(r.ok).toBe(1);
    // Fired on time, on the wire ≥ 100 ms later; raw latency runs from there.
    expect(r.sendLagMs[0]).toBeGreaterThan(100);
    expect(r.corrected.max - r.raw.max).toBeGreaterThan(100);
  });

  it("drops sends when too many requests are open, and says the run is void", async () => {
    const held: ServerResponse[] = [];
    const url = await serve((req, res) => {
      req.resume();
      held.push(res);
      if (held.length === 3)
        setTimeout(() => {
          for (const h of held) h.end("{}");
        }, 300);
    });
    const r = await runOpenLoop({
      url,
      rate: 10_000,
      count: 20,
      method: "GET",
      path: "/",
      headers: {},
      bodies: null,
      maxOutstanding: 3,
    });
    expect(r.sent).toBe(3);
    expect(r.dropped).toBe(17);
    expect(r.ok).toBe(3);
    expect(r.void).toBe(true);
    expect(r.voidReason).toMatch(/17 sends dropped/);
  });
});

describe("parseServerTiming", () => {
  it("reads every name;dur entry, with or without other parameters; skips entries without a dur", () => {
    expect(parseServerTiming("app;dur=1.5, pre;dur=0.25,verify;dur=0.3")).toEqual({
      app: 1.5,
      pre: 0.25,
      verify: 0.3,
    });
    expect(parseServerTiming('db;desc="x";dur=2, cache;desc=hit, total;dur=abc')).toEqual({ db: 2 });
    expect(parseServerTiming("")).toEqual({});
  });
});
