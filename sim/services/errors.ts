/**
 * The live service's error registry (DESIGN.md §5 "The live setup's contract"): every refusal is a
 * {@link ServiceError} with an HTTP status and a code from {@link SERVICE_ERRORS}, answered once as
 * `{"error": CODE, "message": text}` by the host (http-host.ts). The auth codes are the contract's;
 * the others are the host's own. Codes are also the bounded `code` label of the request metrics.
 * @module
 */
import { TwinError } from "../../engine/errors.js";

/** Every code the service answers, with its HTTP status. */
export const SERVICE_ERRORS = {
  /** Malformed JSON, wrong content type (415), oversized body (413), missing or malformed fields. */
  bad_request: 400,
  unknown_challenge: 400,
  challenge_used: 409,
  bad_signature: 401,
  untrusted_certificate: 401,
  revoked: 401,
  expired: 401,
  /** Myna Portal: no session, or an unknown or expired one (401 with WWW-Authenticate). */
  unauthorized: 401,
  /** Myna Portal: a record that is not the person's, or a certificate linked to no resident. */
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** Provision hub (sim/network/hub): requester or provider not on the network. */
  unknown_institution: 403,
  /** Provision hub: the requester's code for the person does not resolve. */
  unresolved_code: 404,
  /** Provision hub: (requester, provider, data item, procedure) outside the whitelist. */
  not_whitelisted: 403,
  /** Provision hub: this requester's exchange id was already recorded. */
  duplicate_exchange: 409,
  /** Provision hub: the record store is full; nothing was written. */
  store_full: 507,
  /** Shedding load: 429 with Retry-After. */
  overloaded: 429,
  /**
   * The client disconnected before its answer (nginx's 499): logged and counted, nothing is sent,
   * no further work is done for it.
   */
  client_closed: 499,
  /** Draining after SIGTERM: 503 with Connection: close. */
  shutting_down: 503,
  internal: 500,
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

/** A refusal the host turns into `{"error": code, "message"}` with `status`. */
export class ServiceError extends TwinError {
  readonly status: number;
  readonly errorCode: ServiceErrorCode;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    errorCode: ServiceErrorCode,
    message: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(`E_SERVICE_${errorCode.toUpperCase()}`, message);
    this.name = "ServiceError";
    this.errorCode = errorCode;
    this.status = options.status ?? SERVICE_ERRORS[errorCode];
    this.headers = options.headers ?? {};
  }
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
