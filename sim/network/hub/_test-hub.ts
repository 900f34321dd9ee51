/**
 * Test helper for the hub's tests: a hub directory in a temp dir with two enrolled people, the hub
 * open on a fixed clock and its routes on an in-process host (127.0.0.1, port 0), a request helper,
 * and a lawful exchange chosen from the whitelist table. Used by sim/network/hub/*.test.ts only.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, type Reply } from "../../services/_test-http.js";
import { startHost, type RunningHost } from "../../services/http-host.js";
import { MetricsRegistry } from "../../services/metrics.js";
import { memorySink, ServiceLogger } from "../../services/request-log.js";
import type { VerifyPool } from "../../services/verify-pool.js";
import { buildWhitelistRows } from "../whitelist-table.js";
import { signExchangeRequest } from "./client.js";
import { enrol } from "./enrolment.js";
import type { ExchangeRequestFields } from "./exchange-message.js";
import { openHub, type Hub } from "./hub.js";
import { initHubDirectory } from "./hub-directory.js";

export const T0 = Date.UTC(2026, 3, 1, 9);
/** Two valid individual numbers (check digit per sim/jpki/resident.ts). */
export const PERSON_A = "123456789018";
export const PERSON_B = "234567890121";

export { call, type Reply };

/** A lawful (requester kind municipality) exchange shape: procedure, provider id, two items. */
export function lawful(hub: Hub): { procedure: string; provider: string; items: string[] } {
  for (const row of buildWhitelistRows()) {
    if (row.requester !== "municipality") continue;
    for (const p of row.providers) {
      const provider = [...hub.files.directory.values()].find((i) => i.kind === p.provider);
      if (provider && provider.kind !== "municipality" && p.items.length >= 2)
        return { procedure: row.procedure, provider: provider.id, items: p.items.slice(0, 2) };
    }
  }
  throw new Error("no lawful exchange in the table");
}

export interface TestHub {
  readonly dir: string;
  readonly hub: Hub;
  readonly host: RunningHost;
  readonly url: string;
  readonly lines: string[];
  readonly metrics: MetricsRegistry;
  /** Codes at municipality-0001 of PERSON_A and PERSON_B. */
  readonly codeA: string;
  readonly codeB: string;
  /** A lawful request for PERSON_A with this exchange id. */
  request(exchangeId: string, over?: Partial<ExchangeRequestFields>): ExchangeRequestFields;
  /** POSTs a signed request (signed by `signer`, default the requester). */
  send(fields: ExchangeRequestFields, signer?: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestHub(
  o: {
    mapBytes?: number;
    bodyLimit?: number;
    now?: () => number;
    retentionIntervalMs?: number;
    /** The service's worker pool for the Ed25519 work (default: this thread). */
    pool?: VerifyPool;
  } = {},
): Promise<TestHub> {
  const scratch = mkdtempSync(join(tmpdir(), "myna-hub-"));
  const dir = join(scratch, "hub");
  initHubDirectory(dir, { perKind: 2, now: T0 });
  const lines: string[] = [];
  const logger = new ServiceLogger(memorySink(lines));
  const hub = openHub(dir, {
    now: o.now ?? (() => T0),
    logger,
    mapBytes: o.mapBytes,
    retentionIntervalMs: o.retentionIntervalMs,
  });
  const codeA = enrol(hub.core, hub.env, "municipality-0001", PERSON_A).code;
  const codeB = enrol(hub.core, hub.env, "municipality-0001", PERSON_B).code;
  const metrics = new MetricsRegistry();
  const host = await startHost({
    routes: hub.routes({ metrics, ...(o.pool ? { pool: o.pool } : {}) }),
    admission: { maxInFlight: 16, queue: 64, maxWaitMs: 5000 },
    logger,
    metrics,
    bodyLimit: o.bodyLimit ?? 16 * 1024,
  });
  const shape = lawful(hub);
  const request = (exchangeId: string, over: Partial<ExchangeRequestFields> = {}) => ({
    exchangeId,
    requester: "municipality-0001",
    provider: shape.provider,
    requesterCode: codeA,
    procedure: shape.procedure,
    dataItems: shape.items,
    requestedAt: T0 - 1000,
    ...over,
  });
  const send = (fields: ExchangeRequestFields, signer = fields.requester) => {
    const key = hub.files.institutions.get(signer)!.privateKey;
    return call(host.url, "POST", "/v1/network/exchange", JSON.stringify(signExchangeRequest(key, fields)));
  };
  return {
    dir,
    hub,
    host,
    url: host.url,
    lines,
    metrics,
    codeA,
    codeB,
    request,
    send,
    close: async () => {
      await host.drain();
      await hub.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
