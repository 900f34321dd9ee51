/**
 * The Myna Portal's HTTP routes (issue 12 item 6; contract in the hub's portal-source.ts and DESIGN
 * §5 network/, portal/), for `startService`'s `routes`:
 *
 * - `POST /v1/portal/login/challenge` → `{challengeId, challenge, expiresAt}`, and
 *   `POST /v1/portal/login` with `{challengeId, certificate, signature}` — the JPKI challenge/response
 *   exactly as `/v1/auth/challenge` + `/v1/auth/verify` (the same body checks, the same
 *   sim/services/auth-check.ts check on the verification pool, the same CRL lookup, a challenge store
 *   of its own: a challenge is good for one log-in, successful or not; an expired or replayed one is
 *   refused `unknown_challenge` / `challenge_used`). The certificate's serial leads to the resident
 *   through the CA ledger (resident-links.ts), the core derives the person's portal code, and the
 *   answer is a session token (session-store.ts) — `{token, expiresAt}`;
 * - `GET /v1/portal/records[?offset=N&limit=M]` (Authorization: Bearer TOKEN) → the person's records,
 *   each with its inclusion proof and the signed head it is proved against, plus the current head and
 *   the log's public key (wire.ts);
 * - `GET /v1/portal/records/{index}` → one of the person's records, or 403 `forbidden` and a warning
 *   log line (`portal cross-person read refused`) when it is not theirs — whether or not it exists,
 *   so the answer tells nothing about other people's records;
 * - `GET /v1/portal/consistency?from=A&to=B` → the RFC 9162 consistency proof between two sizes.
 *
 * Bad input gets 4xx with a reason code and changes nothing (a malformed log-in body consumes no
 * challenge). Metrics: `myna_portal_logins_total{result}`, `myna_portal_forbidden_total`,
 * `myna_portal_sessions`.
 * @module
 */
import type { PortalRecordSource } from "../network/hub/portal-source.js";
import { isInputError } from "../../engine/errors.js";
import { cardResponse, serialHex } from "../services/auth-routes.js";
import type { CaDirectory } from "../services/ca-directory.js";
import type { ChallengeStore } from "../services/challenge-store.js";
import { ServiceError } from "../services/errors.js";
import type { RequestContext, Route } from "../services/http-host.js";
import type { MetricsRegistry } from "../services/metrics.js";
import type { ServiceLogger } from "../services/request-log.js";
import type { VerifyPool } from "../services/verify-pool.js";
import type { SessionStore } from "./session-store.js";
import { headToJson, recordToJson, toBase64 } from "./wire.js";
import type { RecordsJson } from "./wire.js";

/** Records per page by default and at most. */
export const PORTAL_PAGE_DEFAULT = 200;
export const PORTAL_PAGE_MAX = 1000;

/** Who a certificate serial belongs to (resident-links.ts). */
export interface ResidentLookup {
  myNumberOf(serialHex: string): string | undefined;
}

/** What the portal routes need. */
export interface PortalRouteDeps {
  readonly source: PortalRecordSource;
  /** The log's Ed25519 tree-head public key (32 raw bytes), handed to the page. */
  readonly publicKey: Uint8Array;
  readonly residents: ResidentLookup;
  readonly challenges: ChallengeStore;
  readonly sessions: SessionStore;
  readonly pool: VerifyPool;
  readonly ca: CaDirectory;
  readonly metrics: MetricsRegistry;
  readonly logger: ServiceLogger;
  readonly now?: () => number;
}

/** A query parameter as a safe non-negative integer, or `fallback` when absent. */
function intParam(q: URLSearchParams, name: string, fallback: number | undefined, max: number): number {
  const v = q.get(name);
  if (v === null) {
    if (fallback !== undefined) return fallback;
    throw new ServiceError("bad_request", `query parameter "${name}": required, a whole number 0–${max}`);
  }
  if (!/^(0|[1-9]\d{0,15})$/.test(v) || Number(v) > max)
    throw new ServiceError(
      "bad_request",
      `query parameter "${name}": expected a whole number 0–${max}, got ${JSON.stringify(v.slice(0, 40))}`,
    );
  return Number(v);
}

function query(ctx: RequestContext): URLSearchParams {
  const url = ctx.req.url ?? "";
  const q = url.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
}

/** Ascending `list` holds `x`. */
function holds(list: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The source's answer, with its typed input errors as 400 (a size or index out of range). */
function fromSource<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isInputError(e)) throw new ServiceError("bad_request", `${what}: ${e.message}`);
    throw e;
  }
}

export function portalRoutes(deps: PortalRouteDeps): Route[] {
  const now = deps.now ?? Date.now;
  const { source, sessions, metrics, logger } = deps;
  const logins = metrics.counter(
    "myna_portal_logins_total",
    "Myna Portal log-ins by result (ok or the error code).",
  );
  const forbidden = metrics.counter(
    "myna_portal_forbidden_total",
    "Myna Portal reads refused because the record is not the person's.",
  );
  metrics.gauge(
    "myna_portal_sessions",
    "Myna Portal sessions held (live, not yet swept).",
    () => sessions.size,
  );

  const login = async (ctx: RequestContext) => {
    const { challengeId, certificate, signature } = cardResponse(
      await ctx.json(),
      "/v1/portal/login/challenge",
    );
    ctx.annotate({ challengeId });
    try {
      const challenge = deps.challenges.take(challengeId);
      const r = await deps.pool.check({ certificate, challenge, signature, at: now() });
      const hex = r.serial.length > 0 ? serialHex(r.serial) : undefined;
      ctx.annotate({ serial: hex });
      if (r.outcome !== "untrusted_certificate" && deps.ca.isRevoked("auth", r.serial))
        throw new ServiceError("revoked", `certificate ${hex} is on the J-LIS authentication CRL`);
      if (r.outcome !== "ok") throw new ServiceError(r.outcome, r.detail);
      const myNumber = deps.residents.myNumberOf(hex!);
      if (myNumber === undefined)
        throw new ServiceError(
          "forbidden",
          `certificate ${hex} is not linked to a resident by this CA (cards issued with card apdu --new --pki DIR are)`,
        );
      const session = sessions.open(source.portalCodeOf(myNumber), hex!);
      logins.inc({ result: "ok" });
      return { json: { token: session.token, expiresAt: new Date(session.expiresAt).toISOString() } };
    } catch (e) {
      if (e instanceof ServiceError) logins.inc({ result: e.errorCode });
      throw e;
    }
  };

  const records = (ctx: RequestContext) => {
    const session = sessions.authenticate(ctx.req.headers.authorization);
    const q = query(ctx);
    const offset = intParam(q, "offset", 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(q, "limit", PORTAL_PAGE_DEFAULT, PORTAL_PAGE_MAX);
    if (limit === 0) throw new ServiceError("bad_request", `query parameter "limit": at least 1`);
    const own = source.indicesFor(session.portalCode);
    const page = own.slice(offset, offset + limit);
    ctx.annotate({ session: session.tag, records: page.length });
    const out: RecordsJson = {
      head: headToJson(source.head()),
      publicKey: toBase64(deps.publicKey),
      total: own.length,
      offset,
      records: page.map((i) => recordToJson(source.recordWithProof(i))),
      next: offset + page.length < own.length ? offset + page.length : null,
    };
    return { headers: { "cache-control": "no-store" }, json: out };
  };

  const one = (ctx: RequestContext) => {
    const session = sessions.authenticate(ctx.req.headers.authorization);
    const text = ctx.params.index ?? "";
    if (!/^(0|[1-9]\d{0,15})$/.test(text) || !Number.isSafeInteger(Number(text)))
      throw new ServiceError(
        "bad_request",
        `record index: expected a whole number, got ${JSON.stringify(text.slice(0, 40))}`,
      );
    const index = Number(text);
    ctx.annotate({ session: session.tag, index });
    if (!holds(source.indicesFor(session.portalCode), index)) {
      forbidden.inc();
      logger.warn("portal cross-person read refused", {
        session: session.tag,
        serial: session.serial,
        index,
      });
      throw new ServiceError("forbidden", `record ${index} is not one of your records`);
    }
    return {
      headers: { "cache-control": "no-store" },
      json: {
        head: headToJson(source.head()),
        publicKey: toBase64(deps.publicKey),
        record: recordToJson(source.recordWithProof(index)),
      },
    };
  };

  const consistency = (ctx: RequestContext) => {
    const session = sessions.authenticate(ctx.req.headers.authorization);
    const q = query(ctx);
    const from = intParam(q, "from", undefined, Number.MAX_SAFE_INTEGER);
    const to = intParam(q, "to", undefined, Number.MAX_SAFE_INTEGER);
    ctx.annotate({ session: session.tag, from, to });
    const proof = fromSource("consistency", () => source.consistency(from, to));
    return { headers: { "cache-control": "no-store" }, json: { from, to, proof: proof.map(toBase64) } };
  };

  return [
    {
      method: "POST",
      path: "/v1/portal/login/challenge",
      handler: () => {
        const c = deps.challenges.issue();
        return {
          json: {
            challengeId: c.challengeId,
            challenge: toBase64(c.challenge),
            expiresAt: new Date(c.expiresAt).toISOString(),
          },
        };
      },
    },
    { method: "POST", path: "/v1/portal/login", handler: login },
    { method: "GET", path: "/v1/portal/records", handler: records },
    { method: "GET", path: "/v1/portal/records/:index", handler: one },
    { method: "GET", path: "/v1/portal/consistency", handler: consistency },
  ];
}
