/**
 * `myna-twin serve` assembled (DESIGN.md §5 services and "The live setup's contract"): the CA
 * directory (ca-directory.ts, CRLs reloaded on change), the verification pool (verify-pool.ts), the
 * challenge store, the auth routes and the revocation artefact routes on one host (http-host.ts),
 * with one metrics registry and one logger. Later features come in through options, never through
 * a server of their own: revocation strategies (issue 11: deltas, partitions, filters) implement
 * `RevocationArtefactSource` (artefacts.ts) and are passed as `artefactSources` (asked after the CA
 * directory, first hit wins, served at `/v1/crl/{kind}/{name}` with ETag and Cache-Control); the
 * provision hub (issue 12) passes its `routes` (http-host.ts `Route`: handlers get `ctx.json()`
 * with the body limit, throw `ServiceError` for 4xx, and share admission, logs and `/metrics`;
 * given as a function, `routes` receives the service's metrics registry and logger for the
 * feature's own metrics and log lines, and its CA directory and verification pool — the Myna
 * Portal's log-in checks cards as /v1/auth does). cli/serve-command.ts wires them in.
 * @module
 */
import { availableParallelism } from "node:os";
import { InputError } from "../../engine/errors.js";
import { checkAdmissionOptions } from "./admission.js";
import { artefactRoutes, caDirectorySource } from "./artefacts.js";
import type { RevocationArtefactSource } from "./artefacts.js";
import { authRoutes } from "./auth-routes.js";
import { CaDirectory } from "./ca-directory.js";
import { ChallengeStore } from "./challenge-store.js";
import type { Route, RunningHost } from "./http-host.js";
import { startHost } from "./http-host.js";
import { MetricsRegistry } from "./metrics.js";
import type { ServiceLogger } from "./request-log.js";
import { VerifyPool, checkPoolThreads } from "./verify-pool.js";

/** Options of {@link startService}; every field but `pkiDir` and `logger` has a default. */
export interface ServiceOptions {
  readonly pkiDir: string;
  readonly logger: ServiceLogger;
  readonly host?: string;
  readonly port?: number;
  /** Verification threads; 0 = verify on the main thread. Default: cores − 1, at least 1. */
  readonly threads?: number;
  readonly maxInFlight?: number;
  readonly queue?: number;
  readonly queueTimeoutMs?: number;
  readonly bodyLimit?: number;
  readonly challengeTtlMs?: number;
  readonly maxChallenges?: number;
  readonly crlReloadMs?: number;
  /** More artefact sources, asked after the CA directory's. */
  readonly artefactSources?: readonly RevocationArtefactSource[];
  /** More routes (later features). */
  readonly routes?:
    | readonly Route[]
    | ((shared: {
        readonly metrics: MetricsRegistry;
        readonly logger: ServiceLogger;
        readonly ca: CaDirectory;
        readonly pool: VerifyPool;
      }) => readonly Route[]);
  /** Clock for challenges and validity (tests). */
  readonly now?: () => number;
}

/** Defaults of {@link ServiceOptions}. */
export const SERVICE_DEFAULTS = {
  host: "127.0.0.1",
  port: 0,
  threads: Math.max(1, availableParallelism() - 1),
  maxInFlight: 64,
  queue: 256,
  queueTimeoutMs: 1000,
  bodyLimit: 16 * 1024,
  challengeTtlMs: 60_000,
  maxChallenges: 100_000,
  crlReloadMs: 1000,
} as const;

/** A running service. */
export interface RunningService {
  readonly url: string;
  readonly host: RunningHost;
  readonly ca: CaDirectory;
  readonly pool: VerifyPool;
  readonly challenges: ChallengeStore;
  readonly metrics: MetricsRegistry;
  /** Drains (in-flight and queued requests finish), stops the pool and the CRL watch. */
  close(): Promise<void>;
}

function whole(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new InputError(
      `--${name}: expected a whole number from ${min} to ${max}, got ${v}`,
      "E_SERVE_ARGS",
    );
  return v;
}

/**
 * Starts the service; resolves once it accepts requests.
 * @throws InputError for bad options or an unusable --pki directory
 */
export async function startService(o: ServiceOptions): Promise<RunningService> {
  const d = SERVICE_DEFAULTS;
  const threads = checkPoolThreads(o.threads ?? d.threads);
  const admission = checkAdmissionOptions({
    maxInFlight: o.maxInFlight ?? d.maxInFlight,
    queue: o.queue ?? d.queue,
    maxWaitMs: o.queueTimeoutMs ?? d.queueTimeoutMs,
  });
  const bodyLimit = whole("body-limit", o.bodyLimit ?? d.bodyLimit, 1024, 16 * 1024 * 1024);
  const ttl = whole("challenge-ttl-ms", o.challengeTtlMs ?? d.challengeTtlMs, 1, 86_400_000);
  const maxChallenges = whole("max-challenges", o.maxChallenges ?? d.maxChallenges, 1, 10_000_000);
  const reloadMs = whole("crl-reload-ms", o.crlReloadMs ?? d.crlReloadMs, 10, 3_600_000);
  const port = whole("port", o.port ?? d.port, 0, 65_535);

  const ca = new CaDirectory(o.pkiDir);
  const metrics = new MetricsRegistry();
  const logger = o.logger;
  const crlReloads = metrics.counter(
    "myna_crl_reloads_total",
    "CRL files re-read after they changed, by kind, name and result.",
  );
  ca.watch(reloadMs, {
    reloaded: (kind, name, crl) => {
      crlReloads.inc({ kind, name, result: "ok" });
      logger.info("crl reloaded", { kind, name, file: crl.file, entries: crl.parsed.entries.count });
    },
    failed: (kind, name, file, message) => {
      crlReloads.inc({ kind, name, result: "failed" });
      logger.warn("crl reload failed; the last good CRL stays in force", { kind, name, file, err: message });
    },
  });
  metrics.gauge(
    "myna_crl_entries",
    "Entries of the authentication root's current full CRL.",
    () => ca.crl("auth", "full")?.parsed.entries.count ?? 0,
  );
  const pool = new VerifyPool(ca.roots.auth!.der, threads);
  metrics.gauge(
    "myna_verify_pool_threads",
    "Verification worker threads (0 = main thread).",
    () => pool.threads,
  );
  metrics.gauge(
    "myna_verify_pool_utilization",
    "Share of the verification pool's capacity used since start (0-1).",
    () => pool.utilization,
  );
  const challenges = new ChallengeStore({ ttlMs: ttl, maxOutstanding: maxChallenges, now: o.now });
  metrics.gauge(
    "myna_auth_challenges_held",
    "Challenge ids held (open or used, not yet expired).",
    () => challenges.size,
  );
  const outcomes = metrics.counter(
    "myna_auth_verifications_total",
    "Verify requests by result (ok or the error code).",
  );
  const sweeper = setInterval(() => challenges.sweep(), Math.min(ttl, 5000));
  sweeper.unref();

  let host: RunningHost;
  try {
    host = await startHost({
      routes: [
        ...authRoutes({ challenges, pool, ca, outcomes, now: o.now }),
        ...artefactRoutes([caDirectorySource(ca), ...(o.artefactSources ?? [])]),
        ...(typeof o.routes === "function" ? o.routes({ metrics, logger, ca, pool }) : (o.routes ?? [])),
      ],
      admission,
      logger,
      metrics,
      bodyLimit,
      host: o.host ?? d.host,
      port,
    });
  } catch (e) {
    ca.stopWatching();
    clearInterval(sweeper);
    await pool.destroy();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    url: host.url,
    host,
    ca,
    pool,
    challenges,
    metrics,
    close: () => {
      closing ??= (async () => {
        await host.drain();
        ca.stopWatching();
        clearInterval(sweeper);
        await pool.destroy();
      })();
      return closing;
    },
  };
}
