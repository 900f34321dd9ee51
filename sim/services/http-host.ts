/**
 * The HTTP host of `myna-twin serve` (DESIGN.md §5 services, "one process, one conventions set"):
 * node:http, a small router (literal and `:param` segments), JSON bodies with a size limit and a
 * content-type check, typed errors answered once as `{"error": CODE, "message"}`, bounded admission
 * (admission.ts: 429 + Retry-After), one structured log line per request (request-log.ts),
 * `/healthz` and `/metrics` (metrics.ts), a `Server-Timing: app;dur=MS` header on every answered
 * request (time from arrival to the handler's answer), followed by the handler's own split
 * (`RequestContext.timing`, e.g. main-thread and pool times: the load benchmark's measured service times),
 * and a drain that lets in-flight and queued requests finish.
 *
 * Every feature (auth, revocation artefacts, later the provision hub) is a list of {@link Route}s
 * handed to {@link startHost}; features never start servers of their own.
 * @module
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Admission, ShedError } from "./admission.js";
import type { AdmissionOptions } from "./admission.js";
import { ServiceError, isServiceError } from "./errors.js";
import type { MetricsRegistry } from "./metrics.js";
import { PROMETHEUS_CONTENT_TYPE } from "./metrics.js";
import type { LogFields, ServiceLogger } from "./request-log.js";

/** What a handler sees of one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  /** `:name` segments of the route, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Per-process request id (also in the log line and the `x-request-id` header). */
  readonly id: string;
  /** The JSON body (application/json, at most the host's body limit). @throws ServiceError bad_request */
  json(): Promise<unknown>;
  /** Adds fields to this request's log line. */
  annotate(fields: LogFields): void;
  /** `performance.now()` when the request was admitted (after any wait for a slot: work, not queueing, follows). */
  readonly start: number;
  /** Adds `NAME;dur=MS` to this request's Server-Timing header (after `app`). */
  timing(name: string, ms: number): void;
  /** Aborted when the client disconnects before its answer: skip work nobody will read. */
  readonly signal: AbortSignal;
  /** Whether the client has disconnected before its answer (as `signal.aborted`, without making a signal). */
  readonly clientClosed: boolean;
}

/** What a handler returns: a JSON value (`json`) or bytes / text (`body`). */
export interface RouteResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly body?: Uint8Array | string;
}

export interface Route {
  readonly method: "GET" | "POST" | "HEAD";
  /** `/v1/auth/verify`, `/v1/crl/:kind/full` … */
  readonly path: string;
  readonly handler: (ctx: RequestContext) => Promise<RouteResponse> | RouteResponse;
  /** Whether the request goes through admission (default true; false for health and metrics). */
  readonly admit?: boolean;
}

/** Options of {@link startHost}. */
export interface HostOptions {
  readonly routes: readonly Route[];
  readonly admission: AdmissionOptions;
  readonly logger: ServiceLogger;
  readonly metrics: MetricsRegistry;
  /** Largest request body in bytes (413 beyond). */
  readonly bodyLimit: number;
  /** Seconds a shed client is told to wait (Retry-After). */
  readonly retryAfterSeconds?: number;
  readonly host?: string;
  readonly port?: number;
}

/** A running host. */
export interface RunningHost {
  readonly server: Server;
  readonly url: string;
  readonly admission: Admission;
  /** Stops accepting, lets in-flight and queued requests finish, closes connections. */
  drain(): Promise<void>;
}

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/** The route and params for `method` and `path`; `methodMismatch` when only the method is wrong. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | "methodMismatch" | undefined {
  const parts = split(path);
  let mismatch = false;
  for (const c of routes) {
    if (c.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = c.segments[i]!;
      if (seg.startsWith(":")) {
        try {
          params[seg.slice(1)] = decodeURIComponent(parts[i]!);
        } catch {
          ok = false;
        }
      } else ok = seg === parts[i];
    }
    if (!ok) continue;
    if (c.route.method === method || (method === "HEAD" && c.route.method === "GET"))
      return { route: c.route, params };
    mismatch = true;
  }
  return mismatch ? "methodMismatch" : undefined;
}

/** Reads a JSON body: content type, declared and streamed size, UTF-8 JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json")
    throw new ServiceError(
      "bad_request",
      `Content-Type: expected application/json, got ${type === "" ? "none" : JSON.stringify(type.slice(0, 64))}`,
      { status: 415 },
    );
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit)
    throw new ServiceError("bad_request", `body: ${declared} bytes, more than the ${limit} allowed`, {
      status: 413,
      headers: { connection: "close" },
    });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit)
        throw new ServiceError("bad_request", `body: more than the ${limit} bytes allowed`, {
          status: 413,
          headers: { connection: "close" },
        });
      chunks.push(chunk);
    }
  } catch (e) {
    if (isServiceError(e)) throw e;
    // The stream failed: the client disconnected ("aborted") before the whole body arrived.
    throw new ServiceError("client_closed", `body: the client disconnected after ${size} bytes`);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks, size));
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ServiceError("bad_request", `body: not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One request's {@link RequestContext}. A class on purpose: its getters live on the prototype. As an
 * object literal with getters, every request's context got a hidden class of its own, which the
 * young-generation GC keeps alive from its parent's transitions until the next full GC — and with
 * it the request's whole closure (request, response, socket state): ≈7 KB a request survived every
 * scavenge and was promoted, and scavenges took 5–6 ms instead of 0.3 (bench/README.md, bench:load).
 */
class HostRequestContext implements RequestContext {
  params: Readonly<Record<string, string>> = NO_PARAMS;
  start = 0;
  /** Fields of this request's log line. */
  readonly extra: Record<string, LogFields[string]> = {};
  /** `NAME;dur=MS` entries of the Server-Timing header after `app`. */
  readonly timings: string[] = [];
  #closed = false;
  // An AbortController costs ≈20 µs of the event loop's time: it is made only when asked for
  // (a request that must wait for a slot, a handler reading `ctx.signal`).
  #gone: AbortController | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly id: string,
    readonly bodyLimit: number,
  ) {}

  get signal(): AbortSignal {
    this.#gone ??= new AbortController();
    if (this.#closed) this.#gone.abort();
    return this.#gone.signal;
  }

  get clientClosed(): boolean {
    return this.#closed;
  }

  /** The client disconnected before its answer: aborts the request's work. */
  clientGone(): void {
    this.#closed = true;
    this.#gone?.abort();
  }

  json(): Promise<unknown> {
    return readJsonBody(this.req, this.bodyLimit);
  }

  annotate(fields: LogFields): void {
    Object.assign(this.extra, fields);
  }

  timing(name: string, ms: number): void {
    this.timings.push(`${name};dur=${ms.toFixed(3)}`);
  }
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array | string,
) {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(res.req.method === "HEAD" ? undefined : bytes);
}

function jsonBody(v: unknown): string {
  return JSON.stringify(v);
}

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Starts the host and resolves once it accepts requests. `/healthz` and `/metrics` are added here.
 * @throws InputError for bad admission options; the listen error (EADDRINUSE …) otherwise
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const admission = new Admission(options.admission);
  const { logger, metrics } = options;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const requests = metrics.counter(
    "myna_http_requests_total",
    "HTTP requests answered, by route, method, status and code.",
  );
  const duration = metrics.histogram(
    "myna_http_request_duration_seconds",
    "Time from request arrival to the end of the answer, by route.",
  );
  const shed = metrics.counter("myna_http_shed_total", "Requests refused by admission (429/503), by reason.");
  metrics.gauge("myna_http_in_flight", "Requests being served now.", () => admission.inFlight);
  metrics.gauge("myna_http_queue_depth", "Requests waiting for a slot now.", () => admission.queueDepth);
  let draining = false;

  const builtIn: Route[] = [
    {
      method: "GET",
      path: "/healthz",
      admit: false,
      handler: () =>
        draining
          ? { status: 503, json: { status: "draining" } }
          : { json: { status: "ok", inFlight: admission.inFlight, queued: admission.queueDepth } },
    },
    {
      method: "GET",
      path: "/metrics",
      admit: false,
      handler: () => ({ headers: { "content-type": PROMETHEUS_CONTENT_TYPE }, body: metrics.render() }),
    },
  ];
  const compiled: CompiledRoute[] = [...builtIn, ...options.routes].map((route) => ({
    route,
    segments: split(route.path),
  }));
  let counter = 0;
  const prefix = process.pid.toString(36);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = performance.now();
    const id = `${prefix}-${(++counter).toString(36)}`;
    const path = (req.url ?? "/").split("?")[0]!;
    const method = req.method ?? "GET";
    const m = matchRoute(compiled, method, path);
    const routeLabel = m === undefined || m === "methodMismatch" ? "unmatched" : m.route.path;
    let status: number;
    let code: string | undefined;
    let release: (() => void) | undefined;
    const ctx = new HostRequestContext(req, id, options.bodyLimit);
    res.once("close", () => {
      if (!res.writableFinished) ctx.clientGone();
    });
    try {
      if (m === undefined)
        throw new ServiceError("not_found", `no route for ${method} ${path.slice(0, 200)}`);
      if (m === "methodMismatch")
        throw new ServiceError("method_not_allowed", `${method} is not allowed on ${path.slice(0, 200)}`);
      if (m.route.admit !== false) {
        try {
          release = await admission.acquire(admission.wouldWait ? ctx.signal : undefined);
        } catch (e) {
          if (!(e instanceof ShedError)) throw e;
          shed.inc({ reason: e.reason });
          if (e.reason === "client_closed")
            throw new ServiceError(
              "client_closed",
              "the client disconnected while the request waited for a slot",
            );
          if (e.reason === "draining")
            throw new ServiceError(
              "shutting_down",
              "the service is shutting down; retry on another instance",
              {
                headers: { connection: "close" },
              },
            );
          throw new ServiceError(
            "overloaded",
            e.reason === "queue_full"
              ? `too many requests: ${admission.options.maxInFlight} in flight and ${admission.options.queue} waiting; retry after ${retryAfter} s`
              : `too many requests: no slot within ${admission.options.maxWaitMs} ms; retry after ${retryAfter} s`,
            { headers: { "retry-after": retryAfter } },
          );
        }
      }
      if (ctx.clientClosed)
        throw new ServiceError("client_closed", "the client disconnected before the request was served");
      ctx.params = m.params;
      ctx.start = performance.now();
      const out = await m.route.handler(ctx);
      status = out.status ?? 200;
      const timing = {
        "server-timing": [`app;dur=${(performance.now() - start).toFixed(3)}`, ...ctx.timings].join(", "),
      };
      if (out.json !== undefined)
        send(
          res,
          status,
          { "content-type": JSON_TYPE, "x-request-id": id, ...timing, ...out.headers },
          jsonBody(out.json),
        );
      else send(res, status, { "x-request-id": id, ...timing, ...out.headers }, out.body ?? "");
    } catch (e) {
      const err = isServiceError(e) ? e : new ServiceError("internal", "internal error; see the service log");
      status = err.status;
      code = err.errorCode;
      if (!isServiceError(e)) ctx.extra.err = e instanceof Error ? (e.stack ?? e.message) : String(e);
      else ctx.extra.reason = err.message;
      if (res.destroyed) {
        // Nothing to answer: the connection is gone.
      } else if (!res.headersSent)
        send(
          res,
          status,
          { "content-type": JSON_TYPE, "x-request-id": id, ...err.headers },
          jsonBody({ error: err.errorCode, message: err.message }),
        );
      else res.destroy();
    } finally {
      release?.();
    }
    const seconds = (performance.now() - start) / 1000;
    requests.inc({ route: routeLabel, method, status: String(status), code: code ?? "" });
    duration.observe(seconds, { route: routeLabel });
    const fields = {
      reqId: id,
      method,
      route: routeLabel,
      status,
      code,
      ms: Math.round(seconds * 1e6) / 1e3,
      ...ctx.extra,
    };
    if (status >= 500 && status !== 503) logger.error("request", fields);
    else logger.info("request", fields);
  };

  const server = createServer(
    { keepAliveTimeout: 5_000, requestTimeout: 30_000, headersTimeout: 10_000 },
    (req, res) => {
      void handle(req, res);
    },
  );
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostText = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  let drained: Promise<void> | undefined;
  return {
    server,
    url: `http://${hostText}:${addr.port}`,
    admission,
    drain: () => {
      drained ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await admission.drain();
        server.closeIdleConnections();
        // Sockets that stay open (a keep-alive client that never sends again) are closed now.
        setTimeout(() => server.closeAllConnections(), 100).unref();
        await closed;
      })();
      return drained;
    },
  };
}
