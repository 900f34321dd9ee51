/**
 * `kill -9` of the live hub under load loses no acknowledged record (issue 12 target): `serve --pki
 * CA --hub DIR` runs as a child process on 127.0.0.1 (port 0); a bounded open stream of signed
 * exchanges (200, 16 in flight) goes to it; after the 80th acknowledgement it is SIGKILLed with
 * requests still in flight. Then the store, opened again (the tree rebuilt from the stored leaf
 * hashes and checked against the last signed head), holds every acknowledged exchange at the
 * indices its answer named, and its root is consistent (RFC 9162 consistency proof, checked with the
 * portal's verifier) with every signed head seen before the kill. `serve` restarted on the same
 * directory answers the same head, refuses an acknowledged exchange as a duplicate and goes on
 * recording. Counts, not clocks, drive the test (no timed assertions).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCaDirectory } from "../sim/jpki/ca-directory.js";
import { signExchangeRequest, type SignedExchangeBody } from "../sim/network/hub/client.js";
import { enrol } from "../sim/network/hub/enrolment.js";
import { HubCore } from "../sim/network/hub/hub-core.js";
import { initHubDirectory, loadHubDirectory } from "../sim/network/hub/hub-directory.js";
import { openHubEnv } from "../sim/network/hub/hub-env.js";
import { openHub } from "../sim/network/hub/hub.js";
import { verifyConsistency } from "../sim/portal/merkle-verify.js";
import { verifyTreeHead, type SignedTreeHead } from "../sim/portal/tree-head.js";
import { call } from "../sim/services/_test-http.js";
import { startServe, type ServeChild } from "./_test-cli.js";

const TOTAL = 200;
const WINDOW = 16;
const KILL_AFTER = 80;
const REQUESTER = "municipality-0001";

let scratch: string;
let ca: string;
let hubDir: string;
let bodies: { id: string; body: string }[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "myna-hub-crash-"));
  ca = join(scratch, "ca");
  hubDir = join(scratch, "hub");
  await initCaDirectory(ca, { partitions: 1, now: Date.now() });
  initHubDirectory(hubDir, { perKind: 1, now: Date.now() });
  const files = loadHubDirectory(hubDir);
  const env = openHubEnv(files.storeDir);
  const core = new HubCore(files.coreKey, files.directory, env, { info: () => {}, warn: () => {} });
  const codes = ["123456789018", "234567890121"].map((n) => enrol(core, env, REQUESTER, n).code);
  await env.env.close();
  const key = files.institutions.get(REQUESTER)!.privateKey;
  const now = Date.now();
  bodies = Array.from({ length: TOTAL }, (_, i) => {
    const body: SignedExchangeBody = signExchangeRequest(key, {
      exchangeId: `crash-${i}`,
      requester: REQUESTER,
      provider: "japan-pension-service",
      requesterCode: codes[i % 2]!,
      procedure: "local-tax/assessment",
      dataItems: ["pension/old-age-benefit"],
      requestedAt: now,
    });
    return { id: `crash-${i}`, body: JSON.stringify(body) };
  });
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function serve(): ServeChild {
  return startServe(["--pki", ca, "--hub", hubDir, "--port", "0", "--threads", "0", "--log", "off"]);
}

function headOf(j: Record<string, unknown>): SignedTreeHead & { publicKey: Uint8Array } {
  const b = (k: string) => new Uint8Array(Buffer.from(j[k] as string, "base64"));
  return {
    size: j.size as number,
    timestamp: j.timestamp as number,
    rootHash: b("rootHash"),
    signature: b("signature"),
    publicKey: b("publicKey"),
  };
}

describe("serve --hub under kill -9", () => {
  it("loses no acknowledged exchange; the rebuilt root is consistent with every head seen before the kill", async () => {
    const first = serve();
    const url = await first.url;
    const acked = new Map<string, { requester: number; provider: number; treeSize: number }>();
    const heads: (SignedTreeHead & { publicKey: Uint8Array })[] = [];
    let failed = 0;
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const { id, body } = bodies[next++]!;
        try {
          const r = await call(url, "POST", "/v1/network/exchange", body);
          if (r.status !== 200) throw new Error(`status ${r.status}`);
          expect(r.json().exchangeId).toBe(id);
          acked.set(id, {
            ...(r.json().records as { requester: number; provider: number }),
            treeSize: r.json().treeSize as number,
          });
          if (acked.size % 20 === 0 && !killed) {
            const h = await call(url, "GET", "/v1/network/head").catch(() => undefined);
            if (h?.status === 200) heads.push(headOf(h.json()));
          }
          if (acked.size >= KILL_AFTER && !killed) {
            killed = true;
            first.child.kill("SIGKILL");
          }
        } catch {
          failed++;
          if (!killed) throw new Error("an exchange failed before the kill");
        }
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, worker));
    expect(await first.exited).toBeNull(); // killed by a signal, no exit code
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(failed).toBeGreaterThan(0); // requests were still in flight or unsent at the kill
    expect(heads.length).toBeGreaterThan(0);

    // the store as the kill left it: rebuilt, checked against its last signed head on open
    const hub = openHub(hubDir);
    let size: number;
    let root: Uint8Array;
    let unsent: { id: string; body: string } | undefined;
    try {
      const store = hub.store;
      size = store.size;
      root = store.head().rootHash;
      for (const [id, at] of acked) {
        expect(store.recorded(REQUESTER, id), id).toEqual([at.requester, at.provider]);
        expect(at.treeSize).toBeLessThanOrEqual(size);
        expect(store.recordWithProof(at.requester).record!.exchangeId).toBe(id);
        expect(store.recordWithProof(at.provider).record!.side).toBe("provider");
      }
      for (const h of heads) {
        expect(verifyTreeHead(h, h.publicKey)).toBe(true);
        expect(Buffer.compare(h.publicKey, hub.files.treeHeadPublicKey)).toBe(0);
        const proof = store.consistency(h.size, size);
        expect(verifyConsistency(h.size, size, proof, h.rootHash, root).ok, `head of size ${h.size}`).toBe(
          true,
        );
      }
      unsent = bodies.find((b) => !acked.has(b.id) && store.recorded(REQUESTER, b.id) === undefined);
    } finally {
      await hub.close();
    }

    // serve again on the same directory
    const second = serve();
    try {
      const url2 = await second.url;
      const h = headOf((await call(url2, "GET", "/v1/network/head")).json());
      expect(h.size).toBe(size);
      expect(Buffer.compare(h.rootHash, root)).toBe(0);
      const [someAcked] = acked.keys();
      const again = await call(
        url2,
        "POST",
        "/v1/network/exchange",
        bodies.find((b) => b.id === someAcked)!.body,
      );
      expect(again.status).toBe(409);
      expect(again.json().error).toBe("duplicate_exchange");
      expect(unsent).toBeDefined();
      if (unsent !== undefined) {
        const r = await call(url2, "POST", "/v1/network/exchange", unsent.body);
        expect(r.status).toBe(200);
        expect(r.json().treeSize).toBe(size + 2);
      }
    } finally {
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    }
  }, 120_000);
});
