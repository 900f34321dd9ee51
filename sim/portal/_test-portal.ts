/**
 * Test support for the Myna Portal: a real `pki init` CA directory in a temporary folder, residents
 * whose cards are issued from it (real RSA keys, serials linked to their My Number in the ledger, as
 * `card apdu --new --pki` does), provision records about them in the in-memory source, and
 * `startService` in-process with the portal's routes. Holders are under 15, so each card needs one
 * key pair (auth only): the fixture stays cheap on the shared machine.
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
  readonly source: MemoryPortalSource;
  readonly signer: TreeHeadSigner;
  readonly feature: PortalFeature;
  readonly service: RunningService;
  readonly logLines: string[];
  /** Milliseconds added to the service's clock (sessions, challenges). */
  advance(ms: number): void;
  /** A card issued by the CA without a My Number in the ledger (as before the ledger recorded it). */
  unlinkedCard(): Promise<MyNumberCard>;
  close(): Promise<void>;
}

/**
 * Builds the fixture: `persons` residents, each with `exchanges` exchanges (2 records each), in an
 * interleaved order drawn with a fixed seed.
 */
export async function portalFixture(o: {
  persons: number;
  exchanges: number;
  page?: PortalPage;
  seed?: number;
}): Promise<PortalFixture> {
  const dir = mkdtempSync(join(tmpdir(), "myna-portal-"));
  const pkiDir = join(dir, "ca");
  let offset = 0;
  const now = () => Date.now() + offset;
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
    const signer = new TreeHeadSigner();
    const source = new MemoryPortalSource(signer, FIXTURE_INSTITUTIONS, now);
    const residents: Resident[] = cards.map((c) => ({ ...c, indices: [] }));
    const rnd = mulberry32(o.seed ?? 12);
    const order = residents.flatMap((r) => Array.from({ length: o.exchanges }, () => r));
    for (let i = order.length - 1; i > 0; i--) {
      const j = randomInt(rnd, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let n = 0;
    const t0 = Date.UTC(2026, 3, 1, 9);
    for (const r of order) {
      const requester = FIXTURE_INSTITUTIONS[randomInt(rnd, FIXTURE_INSTITUTIONS.length)]!;
      const provider = FIXTURE_INSTITUTIONS.find((x) => x !== requester)!;
      const at = t0 + n * 61_000;
      const got = source.record(r.myNumber, {
        exchangeId: `x-${String(++n).padStart(6, "0")}`,
        requester,
        provider,
        procedure: PROCEDURES[randomInt(rnd, PROCEDURES.length)]!,
        dataItems: [ITEMS[randomInt(rnd, ITEMS.length)]!],
        requestedAt: at,
        providedAt: at + 850,
      });
      r.indices.push(got.requester, got.provider);
    }
    const logLines: string[] = [];
    const feature = portalFeature({
      source,
      publicKey: signer.publicKeyRaw,
      residents: pkiDir,
      now,
      ...(o.page ? { page: o.page } : {}),
    });
    const service = await startService({
      pkiDir,
      logger: new ServiceLogger(memorySink(logLines)),
      threads: 0,
      routes: feature.routes,
      now,
    });
    let extra = 100;
    return {
      dir,
      pkiDir,
      residents,
      source,
      signer,
      feature,
      service,
      logLines,
      advance: (ms) => {
        offset += ms;
      },
      unlinkedCard: async () => (await issue(++extra, false)).card,
      close: async () => {
        await service.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
