/**
 * Test support for the Myna Portal: a real `pki init` CA directory in a temporary folder, residents
 * whose cards are issued from it (real RSA keys, serials linked to their My Number in the ledger, as
 * `card apdu --new --pki` does), provision records about them, and `startService` in-process with
 * the portal's routes. Two stores: `memory` (the in-memory source over RecordLog) or `hub` (the live
 * hub's lmdb store from a real hub directory, its routes mounted beside the portal's, and every
 * exchange made through `POST /v1/network/exchange`, signed by the requester). Holders are under
 * 15, so each card needs one key pair (auth only): the fixture stays cheap on the shared machine.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MyNumberCard } from "../card/card.js";
import { allocateSerials, initCaDirectory, withCa } from "../jpki/ca-directory.js";
import { issueDemoCard } from "../jpki/demo-card.js";
import { demoResident } from "../jpki/resident.js";
import { TreeHeadSigner } from "../network/signed-tree-head.js";
import { ServiceLogger, memorySink } from "../services/request-log.js";
import { startService, type RunningService } from "../services/service.js";
import { signExchangeRequest } from "../network/hub/client.js";
import { enrol } from "../network/hub/enrolment.js";
import { initHubDirectory } from "../network/hub/hub-directory.js";
import { openHub, type Hub } from "../network/hub/hub.js";
import type { PortalRecordSource } from "../network/hub/portal-source.js";
import { buildWhitelistRows } from "../network/whitelist-table.js";
import { MemoryPortalSource } from "./memory-source.js";
import { portalFeature, type PortalFeature } from "./portal-feature.js";
import type { PortalPage } from "./portal-page.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";

/** Institutions the fixture's exchanges name. */
export const FIXTURE_INSTITUTIONS = [
  "city-13101",
  "pension-office",
  "tax-office",
  "health-insurer-01",
] as const;
const PROCEDURES = ["child allowance", "national health insurance", "public assistance", "pension benefit"];
const ITEMS = ["resident record", "income", "tax", "pension status", "insurance status"];

export const FIXTURE_PIN = "1234";

/** One resident with a card from the CA. */
export interface Resident {
  readonly myNumber: string;
  readonly card: MyNumberCard;
  readonly authCert: Uint8Array;
  /** Leaf indices of the resident's records, ascending. */
  readonly indices: number[];
}

export interface PortalFixture {
  readonly dir: string;
  readonly pkiDir: string;
  readonly residents: Resident[];
  readonly source: PortalRecordSource;
  /** The log's tree-head public key (32 raw bytes). */
  readonly publicKey: Uint8Array;
  /** Records one more exchange about `r` (both sides' records); their indices are added to `r`. */
  exchange(r: Pick<Resident, "myNumber" | "indices">): Promise<void>;
  /** An exchange about someone who is not one of the residents (records nobody here may read). */
  strangerExchange(): Promise<void>;
  /** The stored bytes of record `index`. */
  storedBytes(index: number): Uint8Array;
  /** Overwrites the stored bytes of record `index` (what an attacker on the store could do). */
  tamper(index: number, bytes: Uint8Array): void;
  readonly feature: PortalFeature;
  readonly service: RunningService;
  readonly logLines: string[];
  /** Milliseconds added to the service's clock (sessions, challenges). */
  advance(ms: number): void;
  /** A card issued by the CA without a My Number in the ledger (as before the ledger recorded it). */
  unlinkedCard(): Promise<MyNumberCard>;
  /** The hub directory (store `hub` only). */
  readonly hubDir: string | undefined;
  /** Stops the service and closes the hub, keeping the directories (a CLI `serve` may reopen them). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the fixture: `persons` residents, each with `exchanges` exchanges (2 records each), in an
 * interleaved order drawn with a fixed seed.
 */
export async function portalFixture(o: {
  persons: number;
  exchanges: number;
  store: "memory" | "hub";
  page?: PortalPage;
  seed?: number;
}): Promise<PortalFixture> {
  const dir = mkdtempSync(join(tmpdir(), "myna-portal-"));
  const pkiDir = join(dir, "ca");
  let offset = 0;
  const now = () => Date.now() + offset;
  let hub: Hub | undefined;
  const hubDir = o.store === "hub" ? join(dir, "hub") : undefined;
  try {
    await initCaDirectory(pkiDir, { partitions: 1, now: Date.now() });
    const issue = async (seed: number, linked: boolean) => {
      const base = demoResident(seed);
      const resident = { ...base, birthDate: "2016-04-01" };
      const issuedAt = Date.now();
      const fromCa = await withCa(pkiDir, (ca) => ({
        roots: ca.roots,
        serials: allocateSerials(ca, ["auth"], issuedAt, linked ? resident.myNumber : undefined),
      }));
      const demo = await issueDemoCard({
        resident,
        pins: { auth: FIXTURE_PIN, text: "5678" },
        issuedAt,
        roots: fromCa.roots,
        serials: fromCa.serials,
      });
      return { myNumber: resident.myNumber, card: demo.card, authCert: demo.authCert };
    };
    const cards = [];
    for (let p = 0; p < o.persons; p++) cards.push(await issue(p + 1, true));
    const residents: Resident[] = cards.map((c) => ({ ...c, indices: [] }));
    const rnd = mulberry32(o.seed ?? 12);
    let n = 0;
    let stranger = 0;
    let store: Store;
    if (o.store === "memory") store = memoryStore(now);
    else {
      initHubDirectory(hubDir!, { perKind: 2, now: Date.now() });
      hub = openHub(hubDir!, { now });
      store = hubStore(hub);
    }
    const exchange = async (myNumber: string): Promise<[number, number]> =>
      store.exchange(myNumber, `x-${String(++n).padStart(6, "0")}`, rnd);
    const logLines: string[] = [];
    const feature = portalFeature({
      source: store.source,
      publicKey: store.publicKey,
      residents: pkiDir,
      now,
      ...(o.page ? { page: o.page } : {}),
    });
    const service = await startService({
      pkiDir,
      logger: new ServiceLogger(memorySink(logLines)),
      threads: 0,
      routes: (shared) => [...(hub ? hub.routes(shared) : []), ...feature.routes(shared)],
      now,
    });
    store.url = service.url;
    try {
      const order = residents.flatMap((r) => Array.from({ length: o.exchanges }, () => r));
      for (let i = order.length - 1; i > 0; i--) {
        const j = randomInt(rnd, i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const r of order) r.indices.push(...(await exchange(r.myNumber)));
    } catch (e) {
      await service.close();
      throw e;
    }
    let extra = 100;
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await service.close();
        await hub?.close();
      })());
    return {
      dir,
      pkiDir,
      residents,
      source: store.source,
      publicKey: store.publicKey,
      exchange: async (r) => {
        r.indices.push(...(await exchange(r.myNumber)));
      },
      strangerExchange: async () => {
        await exchange(demoResident(1000 + ++stranger).myNumber);
      },
      storedBytes: (i) => store.storedBytes(i),
      tamper: (i, b) => store.tamper(i, b),
      feature,
      service,
      logLines,
      advance: (ms) => {
        offset += ms;
      },
      unlinkedCard: async () => (await issue(++extra, false)).card,
      hubDir,
      stop,
      close: async () => {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** One of the fixture's two stores. */
interface Store {
  readonly source: PortalRecordSource;
  readonly publicKey: Uint8Array;
  /** The service's URL, once it runs (the hub store sends its exchanges there). */
  url: string;
  exchange(myNumber: string, exchangeId: string, rnd: () => number): Promise<[number, number]>;
  storedBytes(index: number): Uint8Array;
  tamper(index: number, bytes: Uint8Array): void;
}

function memoryStore(now: () => number): Store {
  const signer = new TreeHeadSigner();
  const source = new MemoryPortalSource(signer, FIXTURE_INSTITUTIONS, now);
  return {
    source,
    publicKey: signer.publicKeyRaw,
    url: "",
    exchange: (myNumber, exchangeId, rnd) => {
      const requester = FIXTURE_INSTITUTIONS[randomInt(rnd, FIXTURE_INSTITUTIONS.length)]!;
      const at = now() - 60_000 + randomInt(rnd, 30_000);
      const got = source.record(myNumber, {
        exchangeId,
        requester,
        provider: FIXTURE_INSTITUTIONS.find((x) => x !== requester)!,
        procedure: PROCEDURES[randomInt(rnd, PROCEDURES.length)]!,
        dataItems: [ITEMS[randomInt(rnd, ITEMS.length)]!],
        requestedAt: at,
        providedAt: at + 850,
      });
      return Promise.resolve([got.requester, got.provider]);
    },
    storedBytes: (i) => source.log.storedBytes(i),
    tamper: (i, b) => source.log.tamperForTest(i, b),
  };
}

/** The hub's store; exchanges through its HTTP route, lawful per the whitelist table. */
function hubStore(hub: Hub): Store {
  const shapes: { requester: string; procedure: string; provider: string; items: string[] }[] = [];
  const institutions = [...hub.files.directory.values()];
  for (const row of buildWhitelistRows()) {
    const requester = institutions.find((i) => i.kind === row.requester);
    if (!requester) continue;
    for (const p of row.providers) {
      const provider = institutions.find((i) => i.kind === p.provider && i.id !== requester.id);
      if (provider && p.items.length > 0)
        shapes.push({
          requester: requester.id,
          procedure: row.procedure,
          provider: provider.id,
          items: p.items.slice(0, 2),
        });
    }
    if (shapes.length >= 12) break;
  }
  const store: Store = {
    source: hub.store,
    publicKey: hub.files.treeHeadPublicKey,
    url: "",
    exchange: async (myNumber, exchangeId, rnd) => {
      const shape = shapes[randomInt(rnd, shapes.length)]!;
      const requesterCode = enrol(hub.core, hub.env, shape.requester, myNumber).code;
      enrol(hub.core, hub.env, shape.provider, myNumber);
      const body = signExchangeRequest(hub.files.institutions.get(shape.requester)!.privateKey, {
        exchangeId,
        requester: shape.requester,
        provider: shape.provider,
        requesterCode,
        procedure: shape.procedure,
        dataItems: shape.items,
        requestedAt: Date.now() - 1000,
      });
      const res = await fetch(`${store.url}/v1/network/exchange`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as {
        records?: { requester: number; provider: number };
        message?: string;
      };
      if (res.status !== 200 || !json.records)
        throw new Error(`exchange refused: ${res.status} ${json.message}`);
      return [json.records.requester, json.records.provider].sort((a, b) => a - b) as [number, number];
    },
    storedBytes: (i) => {
      const b = hub.env.records.get(i);
      if (b === undefined) throw new Error(`no stored record ${i}`);
      return new Uint8Array(b);
    },
    tamper: (i, b) => {
      hub.env.records.putSync(i, Buffer.from(b));
    },
  };
  return store;
}
