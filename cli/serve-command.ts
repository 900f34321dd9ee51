/**
 * `myna-twin serve --pki DIR …`: the live JPKI authentication and revocation-artefact service
 * (DESIGN.md §5 "The live setup's contract"; sim/services/service.ts). Prints one line
 * `listening on http://HOST:PORT` on stdout once it accepts requests; SIGTERM (or Ctrl-C) drains
 * in-flight and queued requests, then the command returns 0. Bad flags or an unusable --pki
 * directory: one message, exit 2. `--hub DIR` adds the provision hub's routes and, over its store,
 * the Myna Portal (sim/portal/portal-feature.ts: log-in against --pki's CA ledger, the page).
 * @module
 */
import { InputError } from "../engine/errors.js";
import { fileSink, nullSink, ServiceLogger, streamSink } from "../sim/services/request-log.js";
import type { LogSink } from "../sim/services/request-log.js";
import { SERVICE_DEFAULTS, startService } from "../sim/services/service.js";
import { openHub, type Hub } from "../sim/network/hub/hub.js";
import { DEFAULT_MAP_BYTES } from "../sim/network/hub/provision-store.js";
import {
  PORTAL_DEFAULTS,
  portalFeature,
  type PortalFeature,
  type PortalOptions,
} from "../sim/portal/portal-feature.js";
import { integerFlag, parse } from "./args.js";
import { commandLine } from "./context.js";

const d = SERVICE_DEFAULTS;

export const SERVE_HELP = `Usage: myna-twin serve --pki DIR [options]

JPKI user authentication and CRL publication over HTTP, on one process. Endpoints:
  POST /v1/auth/challenge        {"challengeId", "challenge" (base64, 32 bytes), "expiresAt"}
  POST /v1/auth/verify           {"challengeId", "certificate", "signature"} (base64) → {"result":"ok","serial"}
                                 or 4xx {"error": CODE, "message"}; CODE: bad_request, unknown_challenge,
                                 challenge_used, bad_signature, untrusted_certificate, revoked, expired
                                 (expired: the certificate; an expired challenge is unknown_challenge)
  GET  /v1/crl/{auth|sign}/full  the CA directory's current CRL (also /delta), ETag / If-None-Match
  GET  /v1/crl/{auth|sign}/partition/{n}
                                 partition CRL n (serial mod P) when the directory has them: pki init
                                 and pki revoke write them (sim/revocation partitionsOf), pki export too
  GET  /v1/crl/{auth|sign}/delta the delta CRL against the previous full CRL (pki init / pki revoke)
  GET  /v1/crl/{auth|sign}/filter
                                 the revocation filter over the root's issued serials ({kind}-filter.bin,
                                 sim/revocation/filter), ETag / If-None-Match, Cache-Control
  GET  /healthz, GET /metrics    health (200, 503 while draining); Prometheus text
With --hub DIR (the information provision hub; myna-twin network --help):
  POST /v1/network/exchange      {"message": base64 canonical request, "signature": base64 Ed25519 by the
                                 requester} → 200 {"exchangeId", "items", "providerSignature", "answer",
                                 "records", "treeSize"} once both sides' records are durable (lmdb, synced);
                                 or {"error": CODE, "message"}; CODE: bad_request, bad_signature,
                                 unknown_institution, unresolved_code, not_whitelisted, duplicate_exchange
                                 (4xx), store_full (507)
  GET  /v1/network/head          the record log's signed tree head (base64) and its public key
  Myna Portal (the hub's records for the person; --pki must be a pki init CA, whose ledger links
  certificate serials to residents; myna-twin portal --help):
  POST /v1/portal/login/challenge, POST /v1/portal/login
                                 JPKI log-in as /v1/auth (own challenges) → {"token", "expiresAt"}
  GET  /v1/portal/records        (Authorization: Bearer TOKEN) the person's records with inclusion
                                 proofs, the signed tree head and its key; ?offset=&limit= (≤ 1000)
  GET  /v1/portal/records/{i}    one of the person's records; 403 forbidden (logged) if not theirs
  GET  /v1/portal/consistency?from=A&to=B   RFC 9162 consistency proof
  GET  /portal/                  the page (npm run build makes it): verifies every proof in the browser
Overload: 429 {"error":"overloaded"} with Retry-After. SIGTERM: stop accepting, finish what is in
flight or queued, exit 0.

Options:
  --pki DIR               CA directory: auth-root.der|pem and auth-crl-full.der|pem (required),
                          auth-crl-delta, sign-root, sign-crl-full, sign-crl-delta,
                          {auth,sign}-crl-P0000…, {auth,sign}-filter.bin (optional) — as myna-twin pki init --out DIR (a CA
                          that goes on issuing and revoking) or pki export --out DIR writes them; the
                          root keys of a pki init CA are never read here
  --host HOST             address to listen on (default ${d.host})
  --port N                port (default ${d.port}: any free port; the line on stdout says which)
  --threads N             verification worker threads (default ${d.threads} = cores − 1; 0 = verify on
                          the main thread)
  --max-inflight N        requests served at once (default ${d.maxInFlight})
  --queue N               requests that may wait for a slot (default ${d.queue}); beyond: 429
  --queue-timeout-ms N    longest wait for a slot before 429 (default ${d.queueTimeoutMs})
  --body-limit BYTES      largest request body (default ${d.bodyLimit}); beyond: 413 bad_request
  --challenge-ttl-ms N    how long a challenge may be used (default ${d.challengeTtlMs})
  --max-challenges N      challenge ids held at once, open or used (default ${d.maxChallenges}); beyond: 429
  --crl-reload-ms N       how often the CRL files are checked for changes (size, mtime) and re-read
                          (default ${d.crlReloadMs}); a file that fails to parse keeps the last good CRL
  --hub DIR               also serve the provision hub from a directory made by myna-twin network init
                          (locked while served: a second process that opens it is refused, exit 3)
  --portal-session-ttl-ms N
                          how long a Myna Portal log-in lasts (default ${PORTAL_DEFAULTS.sessionTtlMs}, from 1000);
                          the portal's log-in challenges follow --challenge-ttl-ms and --max-challenges
  --portal-max-sessions N portal sessions held at once (default ${PORTAL_DEFAULTS.maxSessions}); beyond: 429
  --hub-map-mb N          bound of the hub's record store in MiB (default ${DEFAULT_MAP_BYTES / 2 ** 20}); a write
                          that would pass it is refused 507 store_full, nothing written
  --log FILE              request log, one JSON line per request (default: stderr; "off": none)
  -h, --help              this help

Exit codes: 0 after a drain, 2 bad input (flag, --pki directory, port in use), 3 --hub in use by
another process, 1 internal failure.`;

/**
 * The Myna Portal over the hub's store, residents from the --pki ledger. A CA without a ledger
 * (pki export) serves the hub without the portal; a page not built is served as 503 — both said on
 * stderr.
 */
function portalOf(
  hub: Hub,
  pki: string,
  limits: Pick<PortalOptions, "sessionTtlMs" | "maxSessions" | "challengeTtlMs" | "maxChallenges">,
): PortalFeature | undefined {
  let portal: PortalFeature;
  try {
    portal = portalFeature({
      source: hub.store,
      publicKey: hub.files.treeHeadPublicKey,
      residents: pki,
      ...limits,
    });
  } catch (e) {
    if (!(e instanceof InputError) || e.code !== "E_PORTAL_LEDGER") throw e;
    process.stderr.write(`myna-twin: serve: the Myna Portal is off: ${e.message}\n`);
    return undefined;
  }
  if (!portal.page.ok)
    process.stderr.write(`myna-twin: serve: ${portal.page.message}; /portal/ answers 503\n`);
  return portal;
}

/** Runs until SIGTERM / SIGINT; returns the exit status. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("serve", argv, {
    pki: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    threads: { type: "string" },
    "max-inflight": { type: "string" },
    queue: { type: "string" },
    "queue-timeout-ms": { type: "string" },
    "body-limit": { type: "string" },
    "challenge-ttl-ms": { type: "string" },
    "max-challenges": { type: "string" },
    "crl-reload-ms": { type: "string" },
    log: { type: "string" },
    hub: { type: "string" },
    "hub-map-mb": { type: "string" },
    "portal-session-ttl-ms": { type: "string" },
    "portal-max-sessions": { type: "string" },
  });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new InputError(
      `serve: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin serve --help)`,
    );
  const pki = values.pki as string | undefined;
  if (!pki)
    throw new InputError(
      "serve: --pki DIR is required (a CA directory, e.g. from myna-twin pki init --out DIR)",
    );
  const int = (name: string, fallback: number, min: number, max: number) =>
    integerFlag(name, values[name] as string | undefined, fallback, min, max);
  const logPath = values.log as string | undefined;
  const sink: LogSink =
    logPath === undefined || logPath === "-"
      ? streamSink(process.stderr, false)
      : logPath === "off"
        ? nullSink
        : fileSink(logPath);
  const logger = new ServiceLogger(sink);
  const hubDir = values.hub as string | undefined;
  const hubMapMb = int("hub-map-mb", DEFAULT_MAP_BYTES / 2 ** 20, 1, 1_048_576);
  const challengeTtlMs = int("challenge-ttl-ms", d.challengeTtlMs, 1, 86_400_000);
  const maxChallenges = int("max-challenges", d.maxChallenges, 1, 10_000_000);
  const portalLimits = {
    sessionTtlMs: int("portal-session-ttl-ms", PORTAL_DEFAULTS.sessionTtlMs, 1_000, 86_400_000),
    maxSessions: int("portal-max-sessions", PORTAL_DEFAULTS.maxSessions, 1, 10_000_000),
    challengeTtlMs,
    maxChallenges,
  };
  let hub: Hub | undefined;
  let portal: PortalFeature | undefined;
  let service;
  try {
    if (hubDir !== undefined)
      hub = openHub(hubDir, {
        mapBytes: hubMapMb * 2 ** 20,
        logger,
        retentionIntervalMs: 3_600_000,
        holder: commandLine(["serve", ...argv]),
      });
    if (hub) portal = portalOf(hub, pki, portalLimits);
    service = await startService({
      pkiDir: pki,
      logger,
      host: (values.host as string | undefined) ?? d.host,
      port: int("port", d.port, 0, 65_535),
      threads: int("threads", d.threads, 0, 256),
      maxInFlight: int("max-inflight", d.maxInFlight, 1, 100_000),
      queue: int("queue", d.queue, 0, 1_000_000),
      queueTimeoutMs: int("queue-timeout-ms", d.queueTimeoutMs, 1, 600_000),
      bodyLimit: int("body-limit", d.bodyLimit, 1024, 16 * 1024 * 1024),
      challengeTtlMs,
      maxChallenges,
      crlReloadMs: int("crl-reload-ms", d.crlReloadMs, 10, 3_600_000),
      ...(hub ? { routes: (shared) => [...hub!.routes(shared), ...(portal?.routes(shared) ?? [])] } : {}),
    });
  } catch (e) {
    await hub?.close();
    await sink.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new InputError(
        `serve: cannot listen on ${String(values.host ?? d.host)}:${String(values.port ?? d.port)} (${code})`,
      );
    throw e;
  }
  logger.info("listening", { url: service.url, threads: service.pool.threads, pid: process.pid });
  process.stdout.write(`listening on ${service.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      logger.info("draining", {
        signal,
        inFlight: service.host.admission.inFlight,
        queued: service.host.admission.queueDepth,
      });
      resolve();
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
  await service.close();
  await hub?.close();
  logger.info("stopped", { verifications: service.pool.jobs });
  await sink.close();
  return 0;
}
