/**
 * The live hub's HTTP routes (issue 12 item 4), mounted on `startService`'s `routes` so they share
 * admission (429 + Retry-After), the body limit (413), the request log and `/metrics`:
 *
 * - `POST /v1/network/exchange` `{"message": base64(canonical request), "signature": base64(Ed25519)}`:
 *   the core verifies the requester's signature, checks the whitelist, maps the code; the provider's
 *   intermediate server answers and signs; the core verifies that signature; both sides' records,
 *   the portal index and the tree size are written in one synced lmdb transaction; only then 200
 *   `{"exchangeId", "items", "providerSignature", "answer", "providedAt", "records": {"requester",
 *   "provider"}, "treeSize"}`.
 *   The Ed25519 work (the request's verification; the answer's signing by the provider's key and its
 *   verification by the core with the provider's public key) runs as jobs of the service's worker
 *   pool (verify-pool.ts `ed25519`), so this thread does HTTP, JSON and lmdb — once at least
 *   {@link OFFLOAD_IN_FLIGHT} exchanges are in progress here; below that the hop to a pool thread and
 *   back (≈0.1-0.2 ms of this thread's CPU per round trip, measured) costs more than the
 *   ≈0.05-0.15 ms of the signature work, so it runs on this thread (same checks, same keys).
 * - `GET /v1/network/head` → the current signed tree head (base64 fields) and its public key.
 *
 * Every refusal is one `{"error": CODE, "message"}` naming the field and the limit, one log line (the
 * host's request line carries the code and reason), one count in `myna_hub_exchanges_total{result}`,
 * and no state change (checks run before anything is written): `bad_request` 400 (malformed body,
 * message, record; 413 oversized), `bad_signature` 401 (unsigned or wrongly signed),
 * `unknown_institution` 403, `not_whitelisted` 403, `unresolved_code` 404, `duplicate_exchange` 409,
 * `store_full` 507.
 * @module
 */
import { TwinError } from "../../../engine/errors.js";
import {
  Ed25519Keys,
  runEd25519Job,
  type Ed25519Job,
  type Ed25519Result,
} from "../../services/ed25519-batch.js";
import { decodeBase64Strict } from "../../services/base64.js";
import { ServiceError } from "../../services/errors.js";
import type { Route } from "../../services/http-host.js";
import type { MetricsRegistry } from "../../services/metrics.js";
import { encodeRecord } from "../provision-record.js";
import { decodeRequest, MAX_MESSAGE_BYTES } from "./exchange-message.js";
import type { HubCore } from "./hub-core.js";
import type { HubInstitution } from "./hub-directory.js";
import type { IntermediateServers } from "./intermediate-server.js";
import { PORTAL_INSTITUTION } from "./portal-source.js";
import type { ProvisionStore } from "./provision-store.js";

/** How far a requester's clock may run ahead of the hub's (ms). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_MESSAGE_B64 = Math.ceil(MAX_MESSAGE_BYTES / 3) * 4;

/**
 * Exchanges in progress on this thread from which the Ed25519 work goes to the pool (when there is
 * one): under load, where jobs leave in batches and this thread is the bottleneck.
 */
export const OFFLOAD_IN_FLIGHT = 4;

/** What the routes work with. */
export interface HubRouteDeps {
  readonly core: HubCore;
  readonly store: ProvisionStore;
  readonly servers: IntermediateServers;
  readonly institutions: ReadonlyMap<string, HubInstitution>;
  readonly treeHeadPublicKey: Uint8Array;
  readonly metrics: MetricsRegistry;
  readonly now: () => number;
  /** Runs an Ed25519 job: the service's pool (`VerifyPool.ed25519`); default here, on this thread. */
  readonly ed25519?: (job: Ed25519Job) => Promise<Ed25519Result>;
}

const CODE_TO_ERROR: Readonly<Record<string, ConstructorParameters<typeof ServiceError>[0]>> = {
  E_EXCHANGE_MESSAGE: "bad_request",
  E_RECORD_FORMAT: "bad_request",
  E_UNKNOWN_INSTITUTION: "unknown_institution",
  E_CODE_UNRESOLVED: "unresolved_code",
  E_NOT_WHITELISTED: "not_whitelisted",
  E_DUPLICATE_EXCHANGE: "duplicate_exchange",
  E_STORE_FULL: "store_full",
  E_STORE_CLOSED: "shutting_down",
};

/** The typed error as the service answers it (unknown errors stay internal: 500, logged with stack). */
function asServiceError(e: unknown): unknown {
  if (e instanceof ServiceError) return e;
  if (e instanceof TwinError) {
    const code = CODE_TO_ERROR[e.code];
    if (code !== undefined) return new ServiceError(code, e.message);
  }
  return e;
}

function b64(v: Uint8Array): string {
  return Buffer.from(v).toString("base64");
}

/** The hub's routes. */
export function hubRoutes(d: HubRouteDeps): Route[] {
  const results = d.metrics.counter(
    "myna_hub_exchanges_total",
    "Exchanges through the provision hub by result (ok or the error code).",
  );
  d.metrics.gauge("myna_hub_tree_size", "Provision records in the hub's Merkle log.", () => d.store.size);
  d.metrics.gauge("myna_hub_store_bytes", "Bytes the hub's lmdb store uses (high-water mark).", () =>
    d.store.usedBytes(),
  );
  d.metrics.gauge(
    "myna_hub_store_limit_bytes",
    "Bound of the hub's store (--hub-map-mb).",
    () => d.store.mapBytes,
  );

  const keys = new Ed25519Keys();
  const here = (job: Ed25519Job): Promise<Ed25519Result> => Promise.resolve(runEd25519Job(job, keys));
  let inFlight = 0;
  const ed25519 = (job: Ed25519Job): Promise<Ed25519Result> =>
    d.ed25519 !== undefined && inFlight >= OFFLOAD_IN_FLIGHT ? d.ed25519(job) : here(job);

  const exchange: Route["handler"] = async (ctx) => {
    const body = await ctx.json();
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new ServiceError("bad_request", 'body: expected a JSON object {"message", "signature"}');
    const fields = body as Record<string, unknown>;
    const extra = Object.keys(fields).filter((k) => k !== "message" && k !== "signature");
    if (extra.length > 0)
      throw new ServiceError(
        "bad_request",
        `body: unexpected field ${JSON.stringify(extra[0]!.slice(0, 40))} (expected "message" and "signature")`,
      );
    const { message, signature } = fields;
    if (typeof message !== "string" || message.length === 0)
      throw new ServiceError("bad_request", "message: expected base64 of the canonical request bytes");
    if (message.length > MAX_MESSAGE_B64)
      throw new ServiceError(
        "bad_request",
        `message: ${message.length} base64 characters, more than the ${MAX_MESSAGE_BYTES} bytes allowed`,
      );
    const decoded = decodeBase64Strict(message);
    if (decoded === null) throw new ServiceError("bad_request", "message: not base64");
    const bytes = new Uint8Array(decoded);
    if (signature === undefined || signature === null || signature === "")
      throw new ServiceError(
        "bad_signature",
        "signature: missing — every request must be signed with the requester's Ed25519 key",
      );
    if (typeof signature !== "string" || signature.length !== 88 || decodeBase64Strict(signature) === null)
      throw new ServiceError("bad_signature", "signature: expected base64 of 64 bytes (Ed25519)");
    const req = decodeRequest(bytes);
    ctx.annotate({
      exchangeId: req.exchangeId,
      requester: req.requester,
      provider: req.provider,
      procedure: req.procedure,
    });
    const requester = d.institutions.get(req.requester);
    if (requester === undefined)
      throw new ServiceError(
        "unknown_institution",
        `requester: unknown institution ${JSON.stringify(req.requester)}`,
      );
    const checked = await ed25519({
      kind: "verify",
      publicKey: requester.publicKeyRaw,
      message: bytes,
      signature: Buffer.from(signature, "base64"),
    });
    if (!checked.ok)
      throw new ServiceError(
        "bad_signature",
        `signature: does not verify with the key of requester "${req.requester}"`,
      );
    const provider = d.institutions.get(req.provider);
    if (provider === undefined)
      throw new ServiceError(
        "unknown_institution",
        `provider: unknown institution ${JSON.stringify(req.provider)}`,
      );
    if (d.store.has(req.requester, req.exchangeId))
      throw new ServiceError(
        "duplicate_exchange",
        `exchangeId: ${JSON.stringify(req.exchangeId)} of requester "${req.requester}" is already recorded`,
      );
    const now = d.now();
    if (req.requestedAt > now + MAX_CLOCK_SKEW_MS)
      throw new ServiceError(
        "bad_request",
        `requestedAt: ${new Date(req.requestedAt).toISOString()} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the hub's clock`,
      );
    const providedAt = Math.max(now, req.requestedAt);
    // whitelist (every item) first, then the code mapping; both throw typed errors, nothing written
    const linkId = d.core.requireLinkId(req);
    const outcome = d.core.exchange.exchange({ ...req, providedAt });
    const portalCode = d.core.codeAt(PORTAL_INSTITUTION, linkId);
    const answer = d.servers.prepare(req, bytes, outcome.providerCode, providedAt);
    const signed = await ed25519({
      kind: "sign",
      privateKeyDer: answer.privateKeyDer,
      publicKey: provider.publicKeyRaw,
      message: answer.bytes,
    });
    if (!signed.ok)
      throw new Error(`provider "${req.provider}": its intermediate server's answer does not verify`);
    const t0 = performance.now();
    const rec = await d.store.append({
      requester: req.requester,
      exchangeId: req.exchangeId,
      requesterRecord: encodeRecord(outcome.requesterRecord),
      providerRecord: encodeRecord(outcome.providerRecord),
      portalCode,
    });
    ctx.timing("store", performance.now() - t0);
    return {
      json: {
        exchangeId: req.exchangeId,
        items: answer.items,
        providerSignature: b64(signed.signature),
        answer: b64(answer.bytes),
        providedAt,
        records: { requester: rec.requesterIndex, provider: rec.providerIndex },
        treeSize: rec.treeSize,
      },
    };
  };

  return [
    {
      method: "POST",
      path: "/v1/network/exchange",
      handler: async (ctx) => {
        let result = "internal";
        inFlight++;
        try {
          const out = await exchange(ctx);
          result = "ok";
          return out;
        } catch (e) {
          const err = asServiceError(e);
          if (err instanceof ServiceError) result = err.errorCode;
          throw err;
        } finally {
          inFlight--;
          results.inc({ result });
        }
      },
    },
    {
      method: "GET",
      path: "/v1/network/head",
      handler: () => {
        const h = d.store.head();
        return {
          json: {
            size: h.size,
            timestamp: h.timestamp,
            rootHash: b64(h.rootHash),
            signature: b64(h.signature),
            publicKey: b64(d.treeHeadPublicKey),
          },
        };
      },
    },
  ];
}
