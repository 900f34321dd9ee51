/**
 * The live service in-process on 127.0.0.1 (sim/services/service.ts): the JPKI protocol with a real
 * simulated card, every bad-input class of issue 10 (each a 4xx with its code, logged, nothing
 * changed, the service still up), CRL reload, CRL artefacts with ETag, /metrics as Prometheus
 * text, shedding with 429 + Retry-After and recovery, and a bounded fuzz of request bodies.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "node:http";
import { call, type Reply } from "./_test-http.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { SERVICE_ERRORS } from "./errors.js";
import { memorySink, ServiceLogger } from "./request-log.js";
import type { RunningService } from "./service.js";
import { startService } from "./service.js";
import type { TestCard, TestPki } from "./demo-pki.js";
import { makeTestPki } from "./demo-pki.js";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

let pki: TestPki;
let svc: RunningService;
let url: string;
const lines: string[] = [];

async function challenge(): Promise<{ id: string; bytes: Uint8Array }> {
  const r = await call(url, "POST", "/v1/auth/challenge");
  expect(r.status).toBe(200);
  const j = r.json();
  return { id: j.challengeId as string, bytes: new Uint8Array(Buffer.from(j.challenge as string, "base64")) };
}

async function verifyWith(card: TestCard, id: string, bytes: Uint8Array, tamper = false): Promise<Reply> {
  const a = card.answer(bytes);
  const sig = Uint8Array.from(a.signature);
  if (tamper) sig[10] = sig[10]! ^ 0x01;
  return call(
    url,
    "POST",
    "/v1/auth/verify",
    JSON.stringify({ challengeId: id, certificate: b64(a.certificate), signature: b64(sig) }),
  );
}

function lastLog(): Record<string, unknown> {
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

async function verifiedOk(): Promise<void> {
  const c = await challenge();
  const r = await verifyWith(pki.good[0]!, c.id, c.bytes);
  expect(r.status, r.text).toBe(200);
}

beforeAll(async () => {
  pki = await makeTestPki(2);
  svc = await startService({
    pkiDir: pki.dir,
    logger: new ServiceLogger(memorySink(lines)),
    threads: 1,
    crlReloadMs: 20,
    bodyLimit: 4096,
  });
  url = svc.url;
}, 60_000);

afterAll(async () => {
  await svc?.close();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

describe("JPKI authentication with a simulated card", () => {
  it("challenge → card APDUs (SELECT, READ BINARY, VERIFY PIN, COMPUTE DIGITAL SIGNATURE) → verify ok", async () => {
    const c = await challenge();
    expect(c.bytes.length).toBe(32);
    const r = await verifyWith(pki.good[0]!, c.id, c.bytes);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      result: "ok",
      serial: Buffer.from(pki.good[0]!.serial)
        .toString("hex")
        .toUpperCase()
        .replace(/^(00)+/, ""),
    });
    expect(lastLog()).toMatchObject({ msg: "request", route: "/v1/auth/verify", status: 200 });
  });

  it("a verify's Server-Timing splits main-thread and pool time (the load benchmark's twin reads it)", async () => {
    const c = await challenge();
    const r = await verifyWith(pki.good[0]!, c.id, c.bytes);
    expect(r.status).toBe(200);
    const dur: Record<string, number> = {};
    for (const m of String(r.headers["server-timing"]).matchAll(/([a-z]+);dur=([\d.]+)/g))
      dur[m[1]!] = Number(m[2]);
    expect(Object.keys(dur)).toEqual(
      expect.arrayContaining(["app", "read", "pre", "verify", "pool", "queue", "hopto", "hopback", "post"]),
    );
    // Two RSA-2048 verifications take real time on the pool thread; the round trip includes them.
    expect(dur.verify).toBeGreaterThan(0);
    expect(dur.pool!).toBeGreaterThanOrEqual(dur.verify!);
    // The hops and the work, on the one monotonic clock of both threads, add up to the round trip.
    expect(Math.abs(dur.queue! + dur.hopto! + dur.verify! + dur.hopback! - dur.pool!)).toBeLessThan(0.01);
    expect(dur.read! + dur.pre! + dur.pool! + dur.post!).toBeLessThanOrEqual(dur.app! + 0.01);
  });

  it("a body that arrives late counts in read, not in pre (pre is the main thread's work from the body on)", async () => {
    const c = await challenge();
    const a = pki.good[0]!.answer(c.bytes);
    const body = JSON.stringify({
      challengeId: c.id,
      certificate: b64(a.certificate),
      signature: b64(a.signature),
    });
    const timing = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${url}/v1/auth/verify`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", "content-length": String(body.length) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(String(res.headers["server-timing"])));
        },
      );
      req.on("error", reject);
      // Headers and the first byte now, the rest 150 ms later.
      req.write(body.slice(0, 1));
      setTimeout(() => req.end(body.slice(1)), 150);
    });
    const dur: Record<string, number> = {};
    for (const m of timing.matchAll(/([a-z]+);dur=([\d.]+)/g)) dur[m[1]!] = Number(m[2]);
    expect(dur.read).toBeGreaterThan(100);
    expect(dur.pre).toBeLessThan(50);
  });

  it("a challenge is good for one verify: a replay is challenge_used", async () => {
    const c = await challenge();
    expect((await verifyWith(pki.good[1]!, c.id, c.bytes)).status).toBe(200);
    const again = await verifyWith(pki.good[1]!, c.id, c.bytes);
    expect(again.status).toBe(409);
    expect(again.json().error).toBe("challenge_used");
  });
});

describe("bad input: 4xx with its code, logged, nothing changed, service still up", () => {
  const cases: [string, () => Promise<Reply>, number, string][] = [
    [
      "malformed JSON",
      () => call(url, "POST", "/v1/auth/verify", '{"challengeId": "a",'),
      400,
      "bad_request",
    ],
    [
      "wrong content type",
      () => call(url, "POST", "/v1/auth/verify", "{}", { "content-type": "text/plain" }),
      415,
      "bad_request",
    ],
    ["no content type", () => call(url, "POST", "/v1/auth/verify", "{}", {}), 415, "bad_request"],
    [
      "oversized body",
      () => call(url, "POST", "/v1/auth/verify", JSON.stringify({ pad: "x".repeat(10_000) })),
      413,
      "bad_request",
    ],
    ["a JSON array", () => call(url, "POST", "/v1/auth/verify", "[1,2]"), 400, "bad_request"],
    [
      "missing fields",
      () => call(url, "POST", "/v1/auth/verify", '{"challengeId":"abc"}'),
      400,
      "bad_request",
    ],
    [
      "certificate not base64",
      () =>
        call(url, "POST", "/v1/auth/verify", '{"challengeId":"abc","certificate":"!!!!","signature":"AAAA"}'),
      400,
      "bad_request",
    ],
    [
      "unknown challenge",
      () =>
        call(
          url,
          "POST",
          "/v1/auth/verify",
          '{"challengeId":"nope","certificate":"AAAA","signature":"AAAA"}',
        ),
      400,
      "unknown_challenge",
    ],
    ["unknown route", () => call(url, "GET", "/v1/nothing"), 404, "not_found"],
    ["wrong method", () => call(url, "GET", "/v1/auth/verify"), 405, "method_not_allowed"],
  ];
  for (const [name, send, status, code] of cases)
    it(name, async () => {
      const held = svc.challenges.size;
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.json().error).toBe(code);
      expect(typeof r.json().message).toBe("string");
      expect(lastLog()).toMatchObject({ status, code });
      expect(svc.challenges.size).toBe(held);
      await verifiedOk();
    });

  const answerCases: [string, () => TestCard, boolean, number, string][] = [
    ["a signature that does not verify", () => pki.good[0]!, true, 401, "bad_signature"],
    ["a certificate from another issuer", () => pki.foreign, false, 401, "untrusted_certificate"],
    ["a revoked certificate", () => pki.revoked, false, 401, "revoked"],
    ["an expired certificate", () => pki.expired, false, 401, "expired"],
  ];
  for (const [name, card, tamper, status, code] of answerCases)
    it(name, async () => {
      const c = await challenge();
      const r = await verifyWith(card(), c.id, c.bytes, tamper);
      expect(r.status).toBe(status);
      expect(r.json().error).toBe(code);
      expect(lastLog()).toMatchObject({ status, code });
      // The challenge was spent (one verify per challenge), nothing else changed.
      expect((await verifyWith(pki.good[0]!, c.id, c.bytes)).json().error).toBe("challenge_used");
      await verifiedOk();
    });

  it("an expired challenge is unknown_challenge", async () => {
    let t = Date.now();
    const lines2: string[] = [];
    const s2 = await startService({
      pkiDir: pki.dir,
      logger: new ServiceLogger(memorySink(lines2)),
      threads: 0,
      challengeTtlMs: 1000,
      now: () => t,
    });
    try {
      const r = await call(s2.url, "POST", "/v1/auth/challenge");
      const j = r.json();
      t += 1001;
      const a = pki.good[0]!.answer(new Uint8Array(Buffer.from(j.challenge as string, "base64")));
      const v = await call(
        s2.url,
        "POST",
        "/v1/auth/verify",
        JSON.stringify({
          challengeId: j.challengeId,
          certificate: b64(a.certificate),
          signature: b64(a.signature),
        }),
      );
      expect(v.status).toBe(400);
      expect(v.json().error).toBe("unknown_challenge");
      expect(String(v.json().message)).toMatch(/expired/);
    } finally {
      await s2.close();
    }
  });
});

describe("revocation through the CA directory's CRL", () => {
  it("a certificate revoked after start is refused once the CRL file changes, and the CRL is served anew", async () => {
    const before = await call(url, "GET", "/v1/crl/auth/full");
    expect(before.status).toBe(200);
    const etag = before.headers.etag as string;
    expect(await call(url, "GET", "/v1/crl/auth/full", undefined, { "if-none-match": etag })).toMatchObject({
      status: 304,
    });
    const reloads = svc.ca.reloads;
    pki.writeCrl([pki.good[1]!.serial], 2);
    for (let i = 0; i < 500 && svc.ca.reloads === reloads; i++) await new Promise((r) => setTimeout(r, 10));
    expect(svc.ca.reloads).toBe(reloads + 1);
    const c = await challenge();
    const r = await verifyWith(pki.good[1]!, c.id, c.bytes);
    expect(r.json().error).toBe("revoked");
    const after = await call(url, "GET", "/v1/crl/auth/full", undefined, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.headers["cache-control"]).toMatch(/max-age=\d+/);
    expect(after.headers["content-type"]).toBe("application/pkix-crl");
  });

  it("a partition CRL file is served as partition/N with its own ETag; a file not signed by the root is not", async () => {
    const full = readFileSync(join(pki.dir, "auth-crl-full.der"));
    writeFileSync(join(pki.dir, "auth-crl-P0003.der"), full);
    const r = await call(url, "GET", "/v1/crl/auth/partition/3");
    expect(r.status).toBe(200);
    expect(r.headers["content-length"]).toBe(String(full.length));
    expect(
      await call(url, "GET", "/v1/crl/auth/partition/3", undefined, {
        "if-none-match": r.headers.etag as string,
      }),
    ).toMatchObject({ status: 304 });
    const forged = Buffer.from(full);
    forged[forged.length - 5]! ^= 0xff;
    writeFileSync(join(pki.dir, "auth-crl-P0004.der"), forged);
    expect((await call(url, "GET", "/v1/crl/auth/partition/4")).json().error).toBe("not_found");
  });

  it("artefacts not published are 404 not_found; an unknown kind too", async () => {
    for (const p of [
      "/v1/crl/auth/filter",
      "/v1/crl/auth/partition/9",
      "/v1/crl/sign/full",
      "/v1/crl/root/full",
    ]) {
      const r = await call(url, "GET", p);
      expect(r.status, p).toBe(404);
      expect(r.json().error).toBe("not_found");
    }
  });
});

describe("/healthz and /metrics", () => {
  it("/healthz is 200", async () => {
    expect((await call(url, "GET", "/healthz")).status).toBe(200);
  });

  it("/metrics parses as Prometheus text and counts requests by route and status", async () => {
    const r = await call(url, "GET", "/metrics");
    expect(r.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (-?[0-9.e+-]+|\+Inf|NaN)$/;
    const typed = new Set<string>();
    for (const line of r.text.trimEnd().split("\n")) {
      if (line.startsWith("# HELP ")) continue;
      const t = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
      if (t) {
        typed.add(t[1]!);
        continue;
      }
      const m = sample.exec(line);
      expect(m, line).not.toBeNull();
      expect(typed.has(m![1]!.replace(/_(bucket|sum|count)$/, "")) || typed.has(m![1]!), line).toBe(true);
    }
    for (const name of [
      "myna_http_requests_total",
      "myna_http_request_duration_seconds",
      "myna_http_in_flight",
      "myna_http_queue_depth",
      "myna_http_shed_total",
      "myna_verify_pool_utilization",
    ])
      expect(typed.has(name), name).toBe(true);
    expect(r.text).toMatch(
      /myna_http_requests_total\{code="",method="POST",route="\/v1\/auth\/verify",status="200"\} [1-9]/,
    );
    expect(r.text).toMatch(
      /myna_http_request_duration_seconds_bucket\{route="\/v1\/auth\/verify",le="\+Inf"\} [1-9]/,
    );
  });
});

describe("shedding", () => {
  it("with 1 in flight and 1 queued, a burst gets 429 + Retry-After; the accepted ones complete; then it recovers", async () => {
    const s = await startService({
      pkiDir: pki.dir,
      logger: new ServiceLogger(memorySink()),
      threads: 0,
      maxInFlight: 1,
      queue: 1,
      queueTimeoutMs: 60_000,
    });
    try {
      // Two requests whose bodies arrive late hold the only slot and the only queue place.
      const held = [0, 1].map(() => {
        let finish!: () => void;
        const reply = new Promise<Reply>((resolve, reject) => {
          const req = request(
            `${s.url}/v1/auth/verify`,
            {
              method: "POST",
              agent: false,
              headers: { "content-type": "application/json", "content-length": "60" },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (c: Buffer) => chunks.push(c));
              res.on("end", () => {
                const text = Buffer.concat(chunks).toString();
                resolve({
                  status: res.statusCode ?? 0,
                  headers: res.headers,
                  text,
                  json: () => JSON.parse(text) as Record<string, unknown>,
                });
              });
            },
          );
          req.on("error", reject);
          req.write("{");
          finish = () =>
            req.end(`"challengeId":"x","certificate":"AAAA","signature":"AAAA"}`.padEnd(59, " "));
        });
        return { reply, finish: () => finish() };
      });
      for (let i = 0; i < 500 && !(s.host.admission.inFlight === 1 && s.host.admission.queueDepth === 1); i++)
        await new Promise((r) => setTimeout(r, 5));
      expect([s.host.admission.inFlight, s.host.admission.queueDepth]).toEqual([1, 1]);
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => call(s.url, "POST", "/v1/auth/challenge")),
      );
      for (const r of burst) {
        expect(r.status).toBe(429);
        expect(r.headers["retry-after"]).toBe("1");
        expect(r.json().error).toBe("overloaded");
      }
      expect((await call(s.url, "GET", "/healthz")).status).toBe(200);
      for (const h of held) h.finish();
      const done = await Promise.all(held.map((h) => h.reply));
      for (const r of done) expect(r.json().error).toBe("unknown_challenge");
      const after = await call(s.url, "POST", "/v1/auth/challenge");
      expect(after.status).toBe(200);
      expect((await call(s.url, "GET", "/metrics")).text).toMatch(
        /myna_http_shed_total\{reason="queue_full"\} 20/,
      );
    } finally {
      await s.close();
    }
  });
});

describe("a client that disconnects while its request waits for a slot", () => {
  it("is dropped from the queue at once: no crypto, its challenge stays unused, logged as client_closed", async () => {
    const log: string[] = [];
    const s = await startService({
      pkiDir: pki.dir,
      logger: new ServiceLogger(memorySink(log)),
      threads: 1,
      maxInFlight: 1,
      queue: 4,
      queueTimeoutMs: 60_000,
    });
    const waitFor = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(ok(), what).toBe(true);
    };
    try {
      // A valid answer to a fresh challenge (asked before the slot is taken) …
      const r0 = await call(s.url, "POST", "/v1/auth/challenge");
      const c = r0.json();
      const bytes = new Uint8Array(Buffer.from(c.challenge as string, "base64"));
      const answer = pki.good[0]!.answer(bytes);
      const body = JSON.stringify({
        challengeId: c.challengeId,
        certificate: b64(answer.certificate),
        signature: b64(answer.signature),
      });
      // A request whose body arrives late holds the only slot.
      let finishHeld!: () => void;
      const held = new Promise<number>((resolve, reject) => {
        const req = request(
          `${s.url}/v1/auth/verify`,
          {
            method: "POST",
            agent: false,
            headers: { "content-type": "application/json", "content-length": "60" },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.write("{");
        finishHeld = () =>
          req.end(`"challengeId":"x","certificate":"AAAA","signature":"AAAA"}`.padEnd(59, " "));
      });
      await waitFor("the slow request holds the slot", () => s.host.admission.inFlight === 1);
      // … queues behind it; then its client goes away.
      const queued = request(`${s.url}/v1/auth/verify`, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json" },
      });
      queued.on("error", () => undefined);
      queued.end(body);
      await waitFor("the valid request is queued", () => s.host.admission.queueDepth === 1);
      queued.destroy();
      await waitFor("the queue gives its place back at once", () => s.host.admission.queueDepth === 0);
      finishHeld();
      expect(await held).toBe(400);
      await waitFor(
        "both requests are logged",
        () => log.filter((l) => l.includes('"msg":"request"')).length >= 3,
      );
      // No verification ran: the held request failed on its challenge id, the dropped one never started.
      expect(s.pool.jobs).toBe(0);
      const dropped = log
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.code === "client_closed");
      expect(dropped).toMatchObject({ status: 499, route: "/v1/auth/verify" });
      expect((await call(s.url, "GET", "/metrics")).text).toMatch(
        /myna_http_shed_total\{reason="client_closed"\} 1/,
      );
      // The challenge was never taken: the same answer, sent again, verifies.
      const again = await call(s.url, "POST", "/v1/auth/verify", body);
      expect(again.status, again.text).toBe(200);
      expect(s.pool.jobs).toBe(1);
    } finally {
      await s.close();
    }
  });
});

describe("fuzz: request bodies (mulberry32 seed 20261202)", () => {
  it("300 mutated verify bodies each get a 4xx JSON error with a known code; nothing crashes or changes", async () => {
    const rnd = mulberry32(20261202);
    const c = await challenge();
    const a = pki.good[0]!.answer(c.bytes);
    const valid = JSON.stringify({
      challengeId: "fuzz-" + "z".repeat(10),
      certificate: b64(a.certificate),
      signature: b64(a.signature),
    });
    const pieces = [
      "{",
      "}",
      "[",
      "]",
      '"',
      ":",
      ",",
      "null",
      "true",
      "1e999",
      "-0",
      '"\\u0000"',
      "\\",
      "\u00ff",
      "\ud800",
      '{"challengeId":{}}',
      '{"certificate":1}',
    ];
    const codes = new Set(Object.keys(SERVICE_ERRORS));
    let n = 0;
    for (let i = 0; i < 300; i++) {
      let body: string;
      switch (randomInt(rnd, 4)) {
        case 0: {
          const at = randomInt(rnd, valid.length);
          body =
            valid.slice(0, at) + pieces[randomInt(rnd, pieces.length)] + valid.slice(at + randomInt(rnd, 4));
          break;
        }
        case 1:
          body = valid.slice(0, randomInt(rnd, valid.length));
          break;
        case 2:
          body = Array.from({ length: randomInt(rnd, 40) }, () => pieces[randomInt(rnd, pieces.length)]).join(
            "",
          );
          break;
        default:
          body = String.fromCharCode(
            ...Array.from({ length: randomInt(rnd, 64) }, () => randomInt(rnd, 256)),
          );
      }
      const r = await call(url, "POST", "/v1/auth/verify", Buffer.from(body, "utf8"));
      expect(r.status >= 400 && r.status < 500, `${r.status} for ${JSON.stringify(body)}`).toBe(true);
      expect(codes.has(r.json().error as string)).toBe(true);
      n++;
    }
    expect(n).toBe(300);
    // The challenge the card signed was never spent by the fuzz: it still verifies once.
    const ok = await call(
      url,
      "POST",
      "/v1/auth/verify",
      JSON.stringify({ challengeId: c.id, certificate: b64(a.certificate), signature: b64(a.signature) }),
    );
    expect(ok.status).toBe(200);
    expect((await call(url, "GET", "/healthz")).status).toBe(200);
  });
});
