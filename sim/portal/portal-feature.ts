/**
 * The Myna Portal as one feature of `myna-twin serve` (DESIGN §5 services: features come in as
 * routes, never as servers of their own): builds the portal's challenge store, session store and
 * resident links (from the `--pki` CA ledger) and returns the `routes` function `startService` takes
 * — the API routes (portal-routes.ts) and the built page (portal-page.ts). cli/serve-command.ts
 * wires it when both `--pki` and `--hub` are given; the tests wire it over the in-memory source.
 * @module
 */
import type { PortalRecordSource } from "../network/hub/portal-source.js";
import { ChallengeStore } from "../services/challenge-store.js";
import type { Route } from "../services/http-host.js";
import type { ServiceOptions } from "../services/service.js";
import { loadPortalPage, portalPageRoutes, type PortalPage } from "./portal-page.js";
import { portalRoutes, type ResidentLookup } from "./portal-routes.js";
import { ResidentLinks } from "./resident-links.js";
import { SessionStore } from "./session-store.js";

/** Defaults of {@link PortalOptions}. */
export const PORTAL_DEFAULTS = {
  sessionTtlMs: 30 * 60_000,
  maxSessions: 100_000,
  challengeTtlMs: 60_000,
  maxChallenges: 100_000,
} as const;

/** Options of {@link portalFeature}. */
export interface PortalOptions {
  readonly source: PortalRecordSource;
  /** The log's tree-head Ed25519 public key (32 raw bytes). */
  readonly publicKey: Uint8Array;
  /** The `pki init` CA directory whose ledger links serials to residents (or a lookup of one's own). */
  readonly residents: string | ResidentLookup;
  /** The built page (default: dist/portal-page under the repository root). */
  readonly page?: PortalPage;
  readonly sessionTtlMs?: number;
  readonly maxSessions?: number;
  readonly challengeTtlMs?: number;
  readonly maxChallenges?: number;
  readonly now?: () => number;
}

/** The feature: its stores (for tests and metrics) and the `routes` for startService. */
export interface PortalFeature {
  readonly sessions: SessionStore;
  readonly challenges: ChallengeStore;
  readonly page: PortalPage;
  readonly routes: Extract<NonNullable<ServiceOptions["routes"]>, (...args: never[]) => unknown>;
}

/** @throws InputError when the residents' CA directory has no ledger */
export function portalFeature(o: PortalOptions): PortalFeature {
  const d = PORTAL_DEFAULTS;
  const residents = typeof o.residents === "string" ? new ResidentLinks(o.residents) : o.residents;
  const sessions = new SessionStore({
    ttlMs: o.sessionTtlMs ?? d.sessionTtlMs,
    maxSessions: o.maxSessions ?? d.maxSessions,
    now: o.now,
  });
  const challenges = new ChallengeStore({
    ttlMs: o.challengeTtlMs ?? d.challengeTtlMs,
    maxOutstanding: o.maxChallenges ?? d.maxChallenges,
    now: o.now,
  });
  const page = o.page ?? loadPortalPage();
  return {
    sessions,
    challenges,
    page,
    routes: (shared): Route[] => [
      ...portalRoutes({
        source: o.source,
        publicKey: o.publicKey,
        residents,
        challenges,
        sessions,
        pool: shared.pool,
        ca: shared.ca,
        metrics: shared.metrics,
        logger: shared.logger,
        now: o.now,
      }),
      ...portalPageRoutes(page),
    ],
  };
}
