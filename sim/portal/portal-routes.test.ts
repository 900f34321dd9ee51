/**
 * The Myna Portal's routes on a real in-process service (portal-routes.ts; issue 12 item 6 and its
 * target "zero cross-person reads in a test that tries every pair it can"): residents log in with
 * cards issued by a real `pki init` CA (JPKI challenge through the card's APDUs), read their own
 * records with proofs that verify (verify-records.ts, the page's checks), and every resident's
 * session tries every record index of the log: only their own answer 200, every other one 403 with
 * a log line. Bad input — no or bad session, malformed indices and queries, replayed, expired or
 * malformed log-ins, a certificate the CA never linked to a resident, a revoked one — gets a 4xx
 * with its reason code and changes nothing.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortalPage } from "./portal-page.js";
import { revokeSerial } from "../jpki/ca-directory.js";
import { parseCertificate, toHex } from "../pki/index.js";
import { loginWithCard } from "./card-login.js";
import { FIXTURE_PIN, portalFixture, type PortalFixture } from "./_test-portal.js";
import { checkHead, checkRecord } from "./verify-records.js";
import { MerkleLog } from "../network/merkle-log.js";
import { consistencyFromJson, recordFromJson, recordsFromJson, toBase64 } from "./wire.js";
import { cardAuthenticate } from "../crypto/card-auth.js";
import { SESSION_TOKEN_CHARS } from "./session-store.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";

const PERSONS = 5;
const EXCHANGES = 3;
let fx: PortalFixture;
const tokens: string[] = [];

beforeAll(async () => {
  // no built page: the page routes must say so (the built page is served in portal.e2e.test.ts)
  const page = loadPortalPage(join(tmpdir(), "myna-portal-page-that-was-never-built"));
  fx = await portalFixture({ persons: PERSONS, exchanges: EXCHANGES, store: "hub", page });
  // records of someone who has no session here: nobody may read them
  await fx.strangerExchange();
  for (const r of fx.residents) tokens.push((await loginWithCard(fx.service.url, r.card, FIXTURE_PIN)).token);
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

const get = (path: string, token?: string) =>
  fetch(
    `${fx.service.url}${path}`,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
const post = (path: string, body: unknown) =>
  fetch(`${fx.service.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const errorOf = async (res: Response) => (await res.json()) as { error: string; message: string };

describe("Myna Portal routes", () => {
  it("logs each resident in with their card and answers a session token", () => {
    expect(tokens).toHaveLength(PERSONS);
    for (const t of tokens) expect(t).toMatch(new RegExp(`^[A-Za-z0-9_-]{${SESSION_TOKEN_CHARS}}$`));
    expect(new Set(tokens).size).toBe(PERSONS);
    expect(fx.feature.sessions.size).toBe(PERSONS);
  });

  it("gives each resident exactly their own records, each with a proof the page accepts", async () => {
    for (let p = 0; p < PERSONS; p++) {
      const res = await get("/v1/portal/records", tokens[p]);
      expect(res.status).toBe(200);
      const doc = recordsFromJson(await res.json());
      expect(doc.total).toBe(2 * EXCHANGES);
      expect(doc.records.map((r) => r.index)).toEqual(fx.residents[p]!.indices);
      expect(checkHead(doc.head, doc.publicKey, null, null)).toEqual({ ok: true });
      expect(toBase64(doc.publicKey)).toBe(toBase64(fx.publicKey));
      for (const r of doc.records) {
        const c = checkRecord(r, doc.publicKey);
        expect(c, c.reason).toMatchObject({ ok: true, removed: false });
        expect(c.record!.exchangeId).toMatch(/^x-\d{6}$/);
      }
      // the two sides of one exchange carry different institution codes, neither is the My Number
      const codes = doc.records.map((r) => checkRecord(r, doc.publicKey).record!.personCode);
      expect(codes.some((c) => c.includes(fx.residents[p]!.myNumber))).toBe(false);
    }
  });

  it("pages the records list and refuses bad paging parameters", async () => {
    const res = await get("/v1/portal/records?offset=2&limit=3", tokens[0]);
    const doc = recordsFromJson(await res.json());
    expect(doc.records.map((r) => r.index)).toEqual(fx.residents[0]!.indices.slice(2, 5));
    expect(doc.next).toBe(5);
    for (const q of ["limit=0", "limit=1001", "offset=-1", "offset=1e3", "limit=abc", "offset=01"]) {
      const bad = await get(`/v1/portal/records?${q}`, tokens[0]);
      expect(bad.status, q).toBe(400);
      expect((await errorOf(bad)).error).toBe("bad_request");
    }
  });

  it("tries every pair of residents on every record of the log: zero cross-person reads, each refusal logged", async () => {
    const size = fx.source.head().size;
    const before = fx.logLines.filter((l) => l.includes("portal cross-person read refused")).length;
    let own = 0;
    let refused = 0;
    let crossRead = 0;
    for (let a = 0; a < PERSONS; a++) {
      const mine = new Set(fx.residents[a]!.indices);
      for (let index = 0; index < size + 3; index++) {
        const res = await get(`/v1/portal/records/${index}`, tokens[a]);
        if (mine.has(index)) {
          expect(res.status).toBe(200);
          const body = (await res.json()) as { record: unknown };
          const r = recordFromJson(body.record, "record");
          expect(r.index).toBe(index);
          own++;
        } else {
          if (res.status === 200) crossRead++;
          expect(res.status).toBe(403);
          expect((await errorOf(res)).error).toBe("forbidden");
          refused++;
        }
      }
    }
    expect(crossRead).toBe(0);
    expect(own).toBe(PERSONS * 2 * EXCHANGES);
    // every index of every other resident (A≠B pairs: PERSONS × (PERSONS−1) × 6), the stranger's 2
    // records and 3 indices beyond the log, for each resident
    expect(size).toBe(PERSONS * 2 * EXCHANGES + 2);
    expect(refused).toBe(PERSONS * (PERSONS - 1) * 2 * EXCHANGES + PERSONS * (2 + 3));
    const after = fx.logLines.filter((l) => l.includes("portal cross-person read refused"));
    expect(after.length - before).toBe(refused);
    expect(after.at(-1)).toMatch(/"index":\d+/);
    expect(fx.service.metrics.render()).toMatch(new RegExp(`myna_portal_forbidden_total ${refused}`));
  });

  it("refuses requests without a valid session (401) and malformed indices (400)", async () => {
    const cases: [string, string | undefined, number, string][] = [
      ["/v1/portal/records", undefined, 401, "unauthorized"],
      ["/v1/portal/records", "x".repeat(43), 401, "unauthorized"],
      ["/v1/portal/records", "short", 401, "unauthorized"],
      ["/v1/portal/records/0", undefined, 401, "unauthorized"],
      ["/v1/portal/consistency?from=0&to=1", undefined, 401, "unauthorized"],
    ];
    for (const [path, token, status, code] of cases) {
      const res = await get(path, token);
      expect(res.status, path).toBe(status);
      expect((await errorOf(res)).error).toBe(code);
    }
    const wrongScheme = await fetch(`${fx.service.url}/v1/portal/records`, {
      headers: { authorization: `Basic ${tokens[0]}` },
    });
    expect(wrongScheme.status).toBe(401);
    for (const index of ["abc", "-1", "01", "1.5", "99999999999999999", "%00"]) {
      const res = await get(`/v1/portal/records/${index}`, tokens[0]);
      expect(res.status, index).toBe(400);
      expect((await errorOf(res)).error).toBe("bad_request");
    }
  });

  it("answers consistency proofs the page accepts and refuses impossible sizes", async () => {
    const head = fx.source.head();
    const res = await get(`/v1/portal/consistency?from=7&to=${head.size}`, tokens[1]);
    expect(res.status).toBe(200);
    const c = consistencyFromJson(await res.json());
    // the root at size 7, as a browser that saw it would have kept it
    const seen7 = { size: 7, rootHash: rootAt(7) };
    expect(checkHead(head, fx.publicKey, seen7, c.proof)).toEqual({ ok: true });
    expect(checkHead(head, fx.publicKey, { size: 7, rootHash: rootAt(8) }, c.proof).ok).toBe(false);
    for (const q of [`from=3&to=2`, `from=0&to=${head.size + 1}`, "from=1", "to=2", "from=a&to=2"]) {
      const bad = await get(`/v1/portal/consistency?${q}`, tokens[1]);
      expect(bad.status, q).toBe(400);
      expect((await errorOf(bad)).error).toBe("bad_request");
    }
  });

  it("refuses a replayed, an expired and a malformed log-in; a malformed one consumes no challenge", async () => {
    const r = fx.residents[0]!;
    const ch = (await (await post("/v1/portal/login/challenge", {})).json()) as {
      challengeId: string;
      challenge: string;
    };
    const answer = cardAuthenticate(r.card, FIXTURE_PIN, new Uint8Array(Buffer.from(ch.challenge, "base64")));
    const body = {
      challengeId: ch.challengeId,
      certificate: toBase64(answer.certificate),
      signature: toBase64(answer.signature),
    };
    const sessions = fx.feature.sessions.size;
    const malformed = await post("/v1/portal/login", { ...body, signature: "not base64!" });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).error).toBe("bad_request");
    expect(fx.feature.sessions.size).toBe(sessions);
    const ok = await post("/v1/portal/login", body);
    expect(ok.status).toBe(200);
    const replay = await post("/v1/portal/login", body);
    expect(replay.status).toBe(409);
    expect((await errorOf(replay)).error).toBe("challenge_used");
    // a challenge of /v1/auth is not one of the portal's
    const authCh = (await (await post("/v1/auth/challenge", {})).json()) as { challengeId: string };
    const foreign = await post("/v1/portal/login", { ...body, challengeId: authCh.challengeId });
    expect((await errorOf(foreign)).error).toBe("unknown_challenge");
    const late = (await (await post("/v1/portal/login/challenge", {})).json()) as {
      challengeId: string;
      challenge: string;
    };
    fx.advance(61_000);
    const lateAnswer = cardAuthenticate(
      r.card,
      FIXTURE_PIN,
      new Uint8Array(Buffer.from(late.challenge, "base64")),
    );
    const expired = await post("/v1/portal/login", {
      challengeId: late.challengeId,
      certificate: toBase64(lateAnswer.certificate),
      signature: toBase64(lateAnswer.signature),
    });
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).error).toBe("unknown_challenge");
    expect(fx.feature.sessions.size).toBe(sessions + 1);
  });

  it("refuses a card whose serial the CA did not link to a resident (403) and a revoked one", async () => {
    const unlinked = await fx.unlinkedCard();
    await expect(loginWithCard(fx.service.url, unlinked, FIXTURE_PIN)).rejects.toThrow(
      /forbidden: certificate [0-9A-F]+ is not linked/,
    );
    // a wrong PIN is the card's refusal, before the portal sees anything
    await expect(loginWithCard(fx.service.url, unlinked, "0000")).rejects.toThrow(
      /refused the PIN \(2 tries left/,
    );
    const victim = fx.residents[PERSONS - 1]!;
    const serial = toHex(parseCertificate(victim.authCert).serial);
    await revokeSerial(fx.pkiDir, serial, "keyCompromise", Date.now());
    let refused: unknown;
    for (let i = 0; i < 100 && refused === undefined; i++) {
      try {
        await loginWithCard(fx.service.url, victim.card, FIXTURE_PIN);
        await new Promise((r) => setTimeout(r, 50));
      } catch (e) {
        refused = e;
      }
    }
    expect(String(refused)).toMatch(/revoked: certificate/);
  });

  it("answers 400 random malformed requests with a 4xx and a reason code, never 5xx, and changes nothing", async () => {
    const rnd = mulberry32(612);
    const pick = <T>(xs: readonly T[]): T => xs[randomInt(rnd, xs.length)]!;
    const junk = () =>
      Array.from({ length: randomInt(rnd, 24) }, () =>
        pick([..."0123456789abcXYZ-_%.=&?/+ \u00e9\u3042"]),
      ).join("");
    const codes = new Set([
      "bad_request",
      "unauthorized",
      "forbidden",
      "unknown_challenge",
      "challenge_used",
      "not_found",
      "method_not_allowed",
      "bad_signature",
      "untrusted_certificate",
    ]);
    // header values are bytes: the non-ASCII characters go in bodies, paths and queries only
    const ascii = (t: string) => t.replace(/[^\x20-\x7e]/g, "?");
    const sessions = fx.feature.sessions.size;
    const head = fx.source.head();
    const ch = (await (await post("/v1/portal/login/challenge", {})).json()) as { challengeId: string };
    let n = 0;
    for (let k = 0; k < 400; k++) {
      const kind = randomInt(rnd, 4);
      let res: Response;
      if (kind === 0) {
        const body = pick([
          junk(),
          JSON.stringify({
            challengeId: pick([junk(), ch.challengeId, 7, null]),
            certificate: pick([junk(), "AAAA", 1]),
            signature: pick([junk(), "AAAA", []]),
          }),
          JSON.stringify(pick([[], null, 3, "x", {}])),
        ]);
        res = await fetch(`${fx.service.url}/v1/portal/login`, {
          method: "POST",
          headers: { "content-type": pick(["application/json", "text/plain"]) },
          body,
        });
      } else {
        const path = pick([
          `/v1/portal/records/${encodeURIComponent(junk())}`,
          `/v1/portal/records?${junk()}`,
          `/v1/portal/consistency?${junk()}`,
          `/v1/portal/records/${junk()}/${junk()}`,
        ]);
        const auth = pick([
          undefined,
          `Bearer ${ascii(junk())}`,
          ascii(junk()),
          `Bearer ${tokens[0]!.slice(1)}x`,
        ]);
        res = await fetch(
          `${fx.service.url}${path}`,
          auth === undefined ? {} : { headers: { authorization: auth } },
        );
      }
      expect(res.status, `request ${k}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `request ${k}`).toBeLessThan(500);
      const e = await errorOf(res);
      expect(codes.has(e.error), `${k}: ${e.error}`).toBe(true);
      expect(e.message.length).toBeGreaterThan(0);
      n++;
    }
    expect(n).toBe(400);
    expect(fx.feature.sessions.size).toBe(sessions);
    expect(fx.source.head().size).toBe(head.size);
    expect(fx.service.metrics.render()).not.toMatch(/status="5\d\d"/);
  });

  it("says clearly that the page is not built (503, what to run) instead of a blank page", async () => {
    for (const path of ["/portal/", "/portal", "/portal/assets/index.js"]) {
      const res = await get(path);
      expect(res.status, path).toBe(503);
      expect(await res.text()).toMatch(/Myna Portal page is not built .*run npm run build/);
    }
    expect(fx.feature.page.ok).toBe(false);
  });

  it("expires sessions after their TTL", async () => {
    const token = tokens[2]!;
    expect((await get("/v1/portal/records", token)).status).toBe(200);
    fx.advance(31 * 60_000);
    const res = await get("/v1/portal/records", token);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/expired/);
  });
});

/** RFC 9162 root of the log's first `n` leaves, from the records' stored bytes. */
function rootAt(n: number): Uint8Array {
  const t = new MerkleLog();
  for (let i = 0; i < n; i++) t.append(fx.storedBytes(i));
  return t.root();
}
