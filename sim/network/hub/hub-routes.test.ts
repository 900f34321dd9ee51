/**
 * The live hub's routes in-process (127.0.0.1): a lawful exchange end to end (signed request →
 * core → provider's intermediate server signs → durable records → 200), and every bad-input class of
 * issue 12 — unsigned, wrongly signed, unknown institution, unresolved code, outside the whitelist,
 * malformed, oversized, duplicate — each answered with its code, logged, counted, and with the store
 * unchanged; plus a seeded sweep of unlawful (requester, provider, item) combinations over HTTP.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import { leafHash, verifyInclusion } from "../../portal/merkle-verify.js";
import { verifyTreeHead } from "../../portal/tree-head.js";
import { buildWhitelistRows } from "../whitelist-table.js";
import { PERSON_A, PERSON_B, T0, call, startTestHub, type Reply, type TestHub } from "./_test-hub.js";
import { memoryLogger } from "../network-logger.js";
import {
  checkProviderAnswer,
  ed25519PublicKey,
  signExchangeRequest,
  type ExchangeResponse,
} from "./client.js";
import { syntheticValue } from "./enrolment.js";
import { encodeRequest, MAX_MESSAGE_BYTES, MAX_REQUEST_ITEMS } from "./exchange-message.js";
import { HubCore } from "./hub-core.js";
import { MIN_MAP_BYTES } from "./provision-store.js";

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ bodyLimit: 16 * 1024 });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

function state() {
  const s = t.hub.store;
  return {
    size: s.size,
    root: Buffer.from(s.head().rootHash).toString("hex"),
    a: [...s.indicesFor(t.hub.core.portalCodeOf(PERSON_A))],
    b: [...s.indicesFor(t.hub.core.portalCodeOf(PERSON_B))],
  };
}

function count(code: string): number {
  const m = new RegExp(`^myna_hub_exchanges_total\\{result="${code}"\\} (\\d+)$`, "m").exec(
    t.metrics.render(),
  );
  return m ? Number(m[1]) : 0;
}

/** The refusal contract: status, code, a message naming what is wrong, a log line, a count, no state change. */
async function refused(
  send: () => Promise<Reply>,
  status: number,
  code: string,
  message: RegExp,
  exchangeId?: string,
): Promise<void> {
  const before = state();
  const counted = count(code);
  const logged = t.lines.length;
  const r = await send();
  expect(r.status, r.text).toBe(status);
  expect(r.json()).toEqual({ error: code, message: expect.stringMatching(message) });
  const line = t.lines.slice(logged).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(line.some((l) => l.code === code && l.status === status)).toBe(true);
  if (status !== 413) expect(count(code)).toBe(counted + 1);
  expect(state()).toEqual(before);
  if (exchangeId !== undefined) expect(t.hub.store.has("municipality-0001", exchangeId)).toBe(false);
}

describe("POST /v1/network/exchange", () => {
  it("a lawful signed exchange: provider answers and signs, both records durable, portal-indexed, proofs verify", async () => {
    const before = state();
    const fields = t.request("ok-1");
    const body = signExchangeRequest(t.hub.files.institutions.get("municipality-0001")!.privateKey, fields);
    const r = await call(t.url, "POST", "/v1/network/exchange", JSON.stringify(body));
    expect(r.status, r.text).toBe(200);
    const j = r.json() as unknown as ExchangeResponse;
    expect(j.exchangeId).toBe("ok-1");
    expect(j.treeSize).toBe(before.size + 2);
    expect(j.records).toEqual({ requester: before.size, provider: before.size + 1 });
    // the provider's signed answer checks out for the requester
    const provider = t.hub.files.institutions.get(fields.provider)!;
    const checked = checkProviderAnswer(j, body, provider.publicKeyRaw);
    expect(checked.ok).toBe(true);
    // values are the provider's copies (synthetic, deterministic) under the provider's own code
    const providerCode = t.hub.core.codeAt(fields.provider, t.hub.core.linkIdOf(PERSON_A));
    expect(providerCode).not.toBe(t.codeA);
    for (const item of fields.dataItems)
      expect(j.items[item]).toBe(syntheticValue(fields.provider, providerCode, item));
    // both sides' records, each with its own code for the person; no My Number anywhere
    const req = t.hub.store.recordWithProof(j.records.requester);
    const prov = t.hub.store.recordWithProof(j.records.provider);
    expect(req.record).toMatchObject({ side: "requester", personCode: t.codeA, exchangeId: "ok-1" });
    expect(prov.record).toMatchObject({ side: "provider", personCode: providerCode, exchangeId: "ok-1" });
    for (const w of [req, prov]) {
      expect(Buffer.from(w.bytes!).includes(PERSON_A)).toBe(false);
      expect(verifyInclusion(leafHash(w.bytes!), w.index, w.head.size, w.proof, w.head.rootHash).ok).toBe(
        true,
      );
    }
    expect(state().a).toEqual([...before.a, before.size, before.size + 1]);
    expect(state().b).toEqual(before.b);
    expect(count("ok")).toBeGreaterThanOrEqual(1);
    // the signed head over HTTP
    const h = (await call(t.url, "GET", "/v1/network/head")).json();
    const head = {
      size: h.size as number,
      timestamp: h.timestamp as number,
      rootHash: new Uint8Array(Buffer.from(h.rootHash as string, "base64")),
      signature: new Uint8Array(Buffer.from(h.signature as string, "base64")),
    };
    expect(head.size).toBe(before.size + 2);
    expect(verifyTreeHead(head, new Uint8Array(Buffer.from(h.publicKey as string, "base64")))).toBe(true);
  });

  it("unsigned: 401 bad_signature", async () => {
    const body = signExchangeRequest(
      t.hub.files.institutions.get("municipality-0001")!.privateKey,
      t.request("unsigned"),
    );
    await refused(
      () => call(t.url, "POST", "/v1/network/exchange", JSON.stringify({ message: body.message })),
      401,
      "bad_signature",
      /signature: missing/,
      "unsigned",
    );
  });

  it("wrongly signed (another institution's key, a foreign key, a flipped bit): 401 bad_signature", async () => {
    await refused(
      () => t.send(t.request("wrong-1"), "municipality-0002"),
      401,
      "bad_signature",
      /does not verify with the key of requester "municipality-0001"/,
      "wrong-1",
    );
    const foreign = generateKeyPairSync("ed25519").privateKey;
    await refused(
      () =>
        call(
          t.url,
          "POST",
          "/v1/network/exchange",
          JSON.stringify(signExchangeRequest(foreign, t.request("wrong-2"))),
        ),
      401,
      "bad_signature",
      /does not verify/,
      "wrong-2",
    );
    const good = signExchangeRequest(
      t.hub.files.institutions.get("municipality-0001")!.privateKey,
      t.request("wrong-3"),
    );
    const sig = Buffer.from(good.signature, "base64");
    sig[7] = sig[7]! ^ 1;
    await refused(
      () =>
        call(
          t.url,
          "POST",
          "/v1/network/exchange",
          JSON.stringify({ ...good, signature: sig.toString("base64") }),
        ),
      401,
      "bad_signature",
      /does not verify/,
      "wrong-3",
    );
    await refused(
      () => call(t.url, "POST", "/v1/network/exchange", JSON.stringify({ ...good, signature: "AAAA" })),
      401,
      "bad_signature",
      /expected base64 of 64 bytes/,
    );
  });

  it("unknown institution (requester or provider): 403 unknown_institution", async () => {
    const stranger = generateKeyPairSync("ed25519").privateKey;
    await refused(
      () =>
        call(
          t.url,
          "POST",
          "/v1/network/exchange",
          JSON.stringify(
            signExchangeRequest(stranger, t.request("unk-1", { requester: "municipality-0999" })),
          ),
        ),
      403,
      "unknown_institution",
      /requester: unknown institution "municipality-0999"/,
    );
    await refused(
      () => t.send(t.request("unk-2", { provider: "japan-pension-servic" })),
      403,
      "unknown_institution",
      /provider: unknown institution "japan-pension-servic"/,
      "unk-2",
    );
  });

  it("a code that does not resolve (never issued; issued to another institution): 404 unresolved_code", async () => {
    await refused(
      () => t.send(t.request("code-1", { requesterCode: "ab".repeat(32) })),
      404,
      "unresolved_code",
      /requesterCode: not issued to institution "municipality-0001"/,
      "code-1",
    );
    // municipality-0002 presents municipality-0001's code for the person
    await refused(
      () => t.send(t.request("code-2", { requester: "municipality-0002" })),
      404,
      "unresolved_code",
      /not issued to institution "municipality-0002"/,
    );
  });

  it("outside the whitelist (item, procedure, provider kind): 403 not_whitelisted", async () => {
    const base = t.request("wl-0");
    await refused(
      () =>
        t.send(t.request("wl-1", { dataItems: [base.dataItems[0]!, "medical-insurance/qualification-x"] })),
      403,
      "not_whitelisted",
      /not in the whitelist/,
      "wl-1",
    );
    await refused(
      () => t.send(t.request("wl-2", { procedure: "student-loan/not-a-procedure" })),
      403,
      "not_whitelisted",
      /for procedure "student-loan\/not-a-procedure"/,
      "wl-2",
    );
    await refused(
      () => t.send(t.request("wl-3", { provider: "jasso" })),
      403,
      "not_whitelisted",
      /may not obtain/,
      "wl-3",
    );
  });

  it("malformed bodies and messages: 400 bad_request (415 for a wrong content type)", async () => {
    const post = (body: string, headers?: Record<string, string>) =>
      call(t.url, "POST", "/v1/network/exchange", body, headers);
    await refused(() => post("{not json"), 400, "bad_request", /not valid JSON/);
    await refused(() => post("[1,2]"), 400, "bad_request", /expected a JSON object/);
    await refused(
      () => post('{"message":"","signature":"x"}'),
      400,
      "bad_request",
      /message: expected base64/,
    );
    await refused(
      () => post('{"message":"@@@@","signature":"x"}'),
      400,
      "bad_request",
      /message: not base64/,
    );
    await refused(
      () => post(JSON.stringify({ message: "AAAA", signature: "A".repeat(86) + "==", extra: 1 })),
      400,
      "bad_request",
      /unexpected field "extra"/,
    );
    const key = t.hub.files.institutions.get("municipality-0001")!.privateKey;
    // signed, but not the canonical encoding (whitespace added)
    const canonical = Buffer.from(encodeRequest(t.request("mal-1"))).toString("utf8");
    const spaced = Buffer.from(canonical.replace(",", ", "), "utf8");
    await refused(
      () =>
        post(
          JSON.stringify({
            message: spaced.toString("base64"),
            signature: sign(null, spaced, key).toString("base64"),
          }),
        ),
      400,
      "bad_request",
      /not in canonical encoding/,
    );
    const notJson = Buffer.from("hello");
    await refused(
      () =>
        post(
          JSON.stringify({
            message: notJson.toString("base64"),
            signature: sign(null, notJson, key).toString("base64"),
          }),
        ),
      400,
      "bad_request",
      /not UTF-8 JSON/,
    );
    await refused(
      () =>
        post(JSON.stringify(signExchangeRequest(key, t.request("mal-2"))), { "content-type": "text/plain" }),
      415,
      "bad_request",
      /Content-Type: expected application\/json/,
    );
  });

  it("oversized: body over the host limit (413), message over its limit, too many items, long fields (400, limit named)", async () => {
    await refused(
      () =>
        call(
          t.url,
          "POST",
          "/v1/network/exchange",
          JSON.stringify({ message: "A".repeat(20_000), signature: "" }),
        ),
      413,
      "bad_request",
      /more than the 16384 allowed/,
    );
    await refused(
      () =>
        call(
          t.url,
          "POST",
          "/v1/network/exchange",
          JSON.stringify({ message: "A".repeat(12_000), signature: "A".repeat(86) + "==" }),
        ),
      400,
      "bad_request",
      new RegExp(`more than the ${MAX_MESSAGE_BYTES} bytes allowed`),
    );
    // the client refuses to build these; a hand-made signed message is refused by the hub
    const key = t.hub.files.institutions.get("municipality-0001")!.privateKey;
    const raw = (v: unknown[]) => {
      const b = Buffer.from(JSON.stringify(v), "utf8");
      return JSON.stringify({
        message: b.toString("base64"),
        signature: sign(null, b, key).toString("base64"),
      });
    };
    const r = t.request("big-1");
    const arr = (over: Record<string, unknown>) => {
      const f = { ...r, ...over };
      return [
        "myna-twin/exchange-request/v1",
        f.exchangeId,
        f.requester,
        f.provider,
        f.requesterCode,
        f.procedure,
        f.dataItems,
        f.requestedAt,
      ];
    };
    const items = Array.from({ length: MAX_REQUEST_ITEMS + 1 }, (_, i) => `item/${i}`);
    await refused(
      () => call(t.url, "POST", "/v1/network/exchange", raw(arr({ dataItems: items }))),
      400,
      "bad_request",
      new RegExp(`dataItems: expected 1..${MAX_REQUEST_ITEMS} data items`),
    );
    await refused(
      () => call(t.url, "POST", "/v1/network/exchange", raw(arr({ exchangeId: "x".repeat(129) }))),
      400,
      "bad_request",
      /exchangeId: expected a string of 1..128 characters/,
    );
  });

  it("a requestedAt far ahead of the hub's clock: 400; a duplicate exchange id: 409, once recorded", async () => {
    await refused(
      () => t.send(t.request("future", { requestedAt: T0 + 3_600_000 })),
      400,
      "bad_request",
      /requestedAt: .* ahead of the hub's clock/,
      "future",
    );
    const ok = await t.send(t.request("dup-1"));
    expect(ok.status, ok.text).toBe(200);
    await refused(() => t.send(t.request("dup-1")), 409, "duplicate_exchange", /already recorded/);
  });

  it("a seeded sweep of unlawful (requester, provider, item, procedure) combinations: every one refused, nothing written", async () => {
    const rows = buildWhitelistRows();
    const items = [...new Set(rows.flatMap((r) => r.providers.flatMap((p) => [...p.items])))];
    const procedures = [...new Set(rows.map((r) => r.procedure))];
    const insts = [...t.hub.files.directory.values()];
    const wl = t.hub.core.whitelist;
    const rnd = mulberry32(1212);
    const before = state();
    let tried = 0;
    for (let k = 0; tried < 40 && k < 5000; k++) {
      const rq = insts[randomInt(rnd, insts.length)]!;
      const pv = insts[randomInt(rnd, insts.length)]!;
      const item = items[randomInt(rnd, items.length)]!;
      const procedure = procedures[randomInt(rnd, procedures.length)]!;
      if (wl.allowsKinds(rq.kind, pv.kind, item, procedure)) continue;
      tried++;
      // the requester's own code for the person, so only the whitelist can refuse
      const code = t.hub.core.codeAt(rq.id, t.hub.core.linkIdOf(PERSON_A));
      const r = await t.send(
        t.request(`sweep-${k}`, {
          requester: rq.id,
          provider: pv.id,
          dataItems: [item],
          procedure,
          requesterCode: code,
        }),
      );
      expect(r.status, r.text).toBe(403);
      expect(r.json().error).toBe("not_whitelisted");
    }
    expect(tried).toBe(40);
    expect(state()).toEqual(before);
  });
});

describe("provider answer check (client side)", () => {
  it("rejects an answer signed by another key or for another request", async () => {
    const fields = t.request("ans-1");
    const body = signExchangeRequest(t.hub.files.institutions.get("municipality-0001")!.privateKey, fields);
    const r = await call(t.url, "POST", "/v1/network/exchange", JSON.stringify(body));
    expect(r.status, r.text).toBe(200);
    const j = r.json() as unknown as ExchangeResponse;
    const other = generateKeyPairSync("ed25519").publicKey;
    expect(checkProviderAnswer(j, body, other)).toMatchObject({ ok: false });
    const another = signExchangeRequest(
      t.hub.files.institutions.get("municipality-0001")!.privateKey,
      t.request("ans-2"),
    );
    const key = ed25519PublicKey(t.hub.files.institutions.get(fields.provider)!.publicKeyRaw);
    expect(checkProviderAnswer(j, another, key)).toMatchObject({ ok: false, reason: /another request/ });
    expect(checkProviderAnswer({ ...j, items: { x: "y" } }, body, key)).toMatchObject({ ok: false });
  });
});

describe("every (requester, provider) pair of the hub × every data item", () => {
  it("passes the core exactly when the whitelist allows it: zero violations accepted, every refusal logged", () => {
    const log = memoryLogger();
    const core = new HubCore(t.hub.files.coreKey, t.hub.files.directory, t.hub.env, log);
    const rows = buildWhitelistRows();
    const items = [...new Set(rows.flatMap((r) => r.providers.flatMap((p) => [...p.items])))];
    const procedures = [...new Set(rows.map((r) => r.procedure))];
    const insts = [...t.hub.files.directory.values()];
    const link = core.linkIdOf(PERSON_A);
    let lawful = 0;
    let refused = 0;
    const wrong: string[] = [];
    for (const rq of insts) {
      const code = core.codeAt(rq.id, link);
      for (const pv of insts) {
        for (const item of items) {
          // a lawful procedure for the kinds and item when there is one, and always one that is not
          const ok = procedures.find((p) => core.whitelist.allowsKinds(rq.kind, pv.kind, item, p));
          const bad = procedures.find((p) => !core.whitelist.allowsKinds(rq.kind, pv.kind, item, p))!;
          for (const procedure of ok === undefined ? [bad] : [ok, bad]) {
            const input = {
              exchangeId: "pair",
              requester: rq.id,
              provider: pv.id,
              requesterCode: code,
              procedure,
              dataItems: [item],
              requestedAt: T0,
              providedAt: T0,
            };
            const allowed = core.whitelist.allowsKinds(rq.kind, pv.kind, item, procedure);
            let passed: boolean;
            try {
              passed = core.exchange.exchange(input).providerRecord.provider === pv.id;
            } catch (e) {
              if ((e as { code?: string }).code !== "E_NOT_WHITELISTED") throw e;
              passed = false;
            }
            if (passed !== allowed) wrong.push(`${rq.id} → ${pv.id} ${item} ${procedure}`);
            if (allowed) lawful++;
            else refused++;
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(lawful).toBeGreaterThan(100);
    expect(refused).toBe(insts.length * insts.length * items.length);
    expect(log.lines.filter((l) => l.fields.code === "E_NOT_WHITELISTED").length).toBe(refused);
  });
});

describe("a full store over HTTP", () => {
  it("answers 507 store_full, counted and logged; every acknowledged exchange stays, nothing half-written", async () => {
    const small = await startTestHub({ mapBytes: MIN_MAP_BYTES });
    try {
      const acked: string[] = [];
      let full: Reply | undefined;
      // bounded: at most 600 exchanges of the lawful shape
      for (let wave = 0; wave < 40 && full === undefined; wave++) {
        const replies = await Promise.all(
          Array.from({ length: 15 }, (_, k) => small.send(small.request(`fill-${wave}-${k}`))),
        );
        replies.forEach((r, k) => {
          if (r.status === 200) acked.push(`fill-${wave}-${k}`);
          else full ??= r;
        });
      }
      expect(full).toBeDefined();
      expect(full!.status).toBe(507);
      expect(full!.json()).toEqual({ error: "store_full", message: expect.stringMatching(/--hub-map-mb/) });
      expect(small.metrics.render()).toMatch(/myna_hub_exchanges_total\{result="store_full"\} [1-9]/);
      expect(small.lines.some((l) => /"code":"store_full"/.test(l))).toBe(true);
      expect(small.hub.store.size).toBe(2 * acked.length);
      for (const id of acked) expect(small.hub.store.recorded("municipality-0001", id)).toBeDefined();
    } finally {
      await small.close();
    }
  });
});
