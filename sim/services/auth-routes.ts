/**
 * JPKI user authentication over HTTP (DESIGN.md §5 contract; issue 10 item 4):
 *
 * - `POST /v1/auth/challenge` → `{"challengeId", "challenge": base64 of 32 random bytes, "expiresAt"}`;
 * - `POST /v1/auth/verify` with `{"challengeId", "certificate": base64 DER, "signature": base64}` →
 *   `{"result": "ok", "serial": HEX}`, or `{"error", "message"}` with `bad_request`,
 *   `unknown_challenge`, `challenge_used`, `untrusted_certificate`, `expired`, `revoked`,
 *   `bad_signature` (errors.ts has the statuses).
 *
 * Order of work: the body is validated first (a malformed request consumes nothing), then the
 * challenge is taken (one verify per challenge, successful or not), then the certificate chain,
 * validity and signature are checked on the pool (auth-check.ts, verify-pool.ts), and last the
 * serial is looked up in the auth root's current CRLs (ca-directory.ts). A revoked certificate is
 * reported as `revoked` whatever its signature.
 *
 * Server-Timing split of a verify (after the host's `app`): `read` — from the start of its handling
 * to its JSON body in hand (node:http's work and any wait for the main thread meanwhile); `pre` —
 * main thread from the body in hand to the hand-over to the pool, without a break; `verify` — the
 * check on the pool thread; `post` — main thread from the pool's answer to the response; `pool` —
 * the pool round trip; `queue` — wait for a free pool thread (0 when one was free); `hopto` — the
 * hand-over of the request's batch to the start of its work on the thread; `hopback` — the end of
 * the batch's work to the main thread taking the answers (the hop, plus any wait for the main
 * thread). A request checked alone: `pool` = `queue` + `hopto`
 * + `verify` + `hopback`; in a batch, `pool` also holds the batch's other checks.
 * @module
 */
import { decodeBase64Strict } from "./base64.js";
import type { CaDirectory } from "./ca-directory.js";
import type { ChallengeStore } from "./challenge-store.js";
import { ServiceError } from "./errors.js";
import type { RequestContext, Route } from "./http-host.js";
import type { Counter } from "./metrics.js";
import type { VerifyPool } from "./verify-pool.js";

/** Largest certificate accepted (a JPKI auth certificate is ≈1.2 KB). */
export const MAX_CERTIFICATE_BYTES = 8192;
/** Largest signature accepted (RSA-4096 would be 512 bytes). */
export const MAX_SIGNATURE_BYTES = 1024;

/** A non-empty string field of a JSON body. @throws ServiceError bad_request naming the field */
export function field(body: Record<string, unknown>, name: string, what: string): string {
  const v = body[name];
  if (typeof v !== "string" || v.length === 0)
    throw new ServiceError(
      "bad_request",
      `field "${name}": expected ${what}, got ${v === undefined ? "nothing" : typeof v === "string" ? "an empty string" : typeof v}`,
    );
  return v;
}

/** A standard-base64 field of at most `max` decoded bytes. @throws ServiceError bad_request */
export function base64Field(
  body: Record<string, unknown>,
  name: string,
  what: string,
  max: number,
): Uint8Array {
  const v = field(body, name, `${what} as base64`);
  if (v.length > Math.ceil(max / 3) * 4)
    throw new ServiceError(
      "bad_request",
      `field "${name}": ${v.length} characters, more than ${max} bytes of base64`,
    );
  const bytes = decodeBase64Strict(v);
  if (bytes === null)
    throw new ServiceError(
      "bad_request",
      `field "${name}": expected ${what} as standard base64 (A-Z a-z 0-9 + /, = padding, length a multiple of 4)`,
    );
  return new Uint8Array(bytes);
}

/** A JSON object body. */
export function objectBody(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new ServiceError(
      "bad_request",
      `body: expected a JSON object, got ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`,
    );
  return v as Record<string, unknown>;
}

/** A card's answer to a challenge, as `/v1/auth/verify` and the portal's log-in take it. */
export interface CardResponse {
  readonly challengeId: string;
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * The JSON body of a challenge response (DESIGN.md §5 contract: challengeId, certificate,
 * signature), each field checked and bounded. `challengeRoute` names where the id comes from.
 * @throws ServiceError bad_request naming the field
 */
export function cardResponse(v: unknown, challengeRoute: string): CardResponse {
  const body = objectBody(v);
  const challengeId = field(body, "challengeId", `the challengeId from POST ${challengeRoute}`);
  if (challengeId.length > 64)
    throw new ServiceError(
      "bad_request",
      `field "challengeId": ${challengeId.length} characters, at most 64`,
    );
  const certificate = base64Field(
    body,
    "certificate",
    "the DER of the card's authentication certificate",
    MAX_CERTIFICATE_BYTES,
  );
  const signature = base64Field(
    body,
    "signature",
    "the card's COMPUTE DIGITAL SIGNATURE answer",
    MAX_SIGNATURE_BYTES,
  );
  return { challengeId, certificate, signature };
}

/** Upper-case hex of a serial's INTEGER content octets without the sign octet, as OpenSSL prints it. */
export function serialHex(serial: Uint8Array): string {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return Buffer.from(serial.subarray(i)).toString("hex").toUpperCase();
}

/** What the auth routes need. */
export interface AuthRouteDeps {
  readonly challenges: ChallengeStore;
  readonly pool: VerifyPool;
  readonly ca: CaDirectory;
  /** Outcomes of verify, by `result`. */
  readonly outcomes: Counter;
  readonly now?: () => number;
}

export function authRoutes(deps: AuthRouteDeps): Route[] {
  const now = deps.now ?? Date.now;
  const verify = async (ctx: RequestContext) => {
    const body = await ctx.json();
    // From here to the hand-over the main thread works without a break (`pre`); reading the body
    // before (`read`) holds node:http's work and any wait for the main thread.
    const bodyRead = performance.now();
    const { challengeId, certificate, signature } = cardResponse(body, "/v1/auth/challenge");
    ctx.annotate({ challengeId });
    // A client that has gone away gets no crypto and keeps its challenge unused.
    if (ctx.clientClosed)
      throw new ServiceError("client_closed", "the client disconnected before its verification started");
    let challenge: Uint8Array;
    try {
      challenge = deps.challenges.take(challengeId);
    } catch (e) {
      if (e instanceof ServiceError) deps.outcomes.inc({ result: e.errorCode });
      throw e;
    }
    const handOver = performance.now();
    const r = await deps.pool.check({ certificate, challenge, signature, at: now() });
    const back = performance.now();
    ctx.timing("read", bodyRead - ctx.start);
    ctx.timing("pre", handOver - bodyRead);
    ctx.timing("verify", r.workerMs);
    ctx.timing("pool", r.roundTripMs);
    ctx.timing("queue", Math.max(0, r.queueMs));
    ctx.timing("hopto", Math.max(0, r.toWorkerMs));
    ctx.timing("hopback", Math.max(0, r.backMs));
    const hex = r.serial.length > 0 ? serialHex(r.serial) : undefined;
    ctx.annotate({ serial: hex });
    if (r.outcome !== "untrusted_certificate" && deps.ca.isRevoked("auth", r.serial)) {
      deps.outcomes.inc({ result: "revoked" });
      throw new ServiceError("revoked", `certificate ${hex} is on the J-LIS authentication CRL`);
    }
    deps.outcomes.inc({ result: r.outcome });
    if (r.outcome !== "ok") throw new ServiceError(r.outcome, r.detail);
    ctx.timing("post", performance.now() - back);
    return { json: { result: "ok", serial: hex } };
  };
  return [
    {
      method: "POST",
      path: "/v1/auth/challenge",
      handler: () => {
        const c = deps.challenges.issue();
        return {
          json: {
            challengeId: c.challengeId,
            challenge: Buffer.from(c.challenge).toString("base64"),
            expiresAt: new Date(c.expiresAt).toISOString(),
          },
        };
      },
    },
    { method: "POST", path: "/v1/auth/verify", handler: verify },
  ];
}
