/**
 * Revocation artefacts over HTTP (DESIGN.md §5 contract `GET /v1/crl/{auth|sign}/full`, `…/delta`,
 * `…/partition/{n}`, `…/filter`; issue 11 item 4) with ETag / If-None-Match (304) and Cache-Control.
 *
 * {@link RevocationArtefactSource} is the one interface revocation strategies implement to be
 * served (sim/revocation and its filter: deltas, partitions, filters); the service asks the sources
 * in order and answers 404 `not_found` when none has the artefact. {@link caDirectorySource} serves
 * the CA directory's current full, delta and partitioned CRLs and its revocation filter (ca-directory.ts,
 * reloaded when they change).
 * @module
 */
import type { CaDirectory, CaKind } from "./ca-directory.js";
import { ServiceError } from "./errors.js";
import type { Route, RouteResponse } from "./http-host.js";

/** One published artefact. */
export interface RevocationArtefact {
  readonly bytes: Uint8Array;
  /** Strong validator, quoted (`"…"`). */
  readonly etag: string;
  /** Seconds a client may reuse it without asking again. */
  readonly maxAgeSeconds: number;
  /** e.g. `application/pkix-crl` (RFC 5280 §4.2.1.13) or `application/octet-stream`. */
  readonly contentType: string;
}

/**
 * Something that publishes artefacts. `name` is `full`, `delta`, `partition/N`, `filter` or a
 * strategy's own name; return undefined when this source does not have it.
 */
export interface RevocationArtefactSource {
  get(kind: CaKind, name: string): RevocationArtefact | undefined | Promise<RevocationArtefact | undefined>;
}

/** The longest max-age a CA-directory CRL is given: the directory is re-read every second or so. */
export const CRL_MAX_AGE_CAP_SECONDS = 60;

/**
 * The CA directory's `full`, `delta` and `partition/N` CRLs and its `filter`. A CRL's max-age is the
 * time to its nextUpdate, capped at `capSeconds` (so a revocation written to the directory reaches
 * HTTP caches within a minute); the filter's is `capSeconds`.
 */
export function caDirectorySource(
  ca: CaDirectory,
  capSeconds = CRL_MAX_AGE_CAP_SECONDS,
  now: () => number = Date.now,
): RevocationArtefactSource {
  return {
    get(kind, name) {
      if (name === "filter") {
        const f = ca.filter(kind);
        return f
          ? {
              bytes: f.bytes,
              etag: f.etag,
              maxAgeSeconds: capSeconds,
              contentType: "application/octet-stream",
            }
          : undefined;
      }
      const part = /^partition\/(\d{1,4})$/.exec(name);
      if (!part && name !== "full" && name !== "delta") return undefined;
      const crl = part ? ca.partition(kind, Number(part[1])) : ca.crl(kind, name as "full" | "delta");
      if (!crl) return undefined;
      const next = crl.parsed.nextUpdate;
      const left = next === undefined ? capSeconds : Math.max(0, Math.floor((next - now()) / 1000));
      return {
        bytes: crl.der,
        etag: crl.etag,
        maxAgeSeconds: Math.min(capSeconds, left),
        contentType: "application/pkix-crl",
      };
    },
  };
}

/** True when an If-None-Match header matches `etag` (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

const KINDS = new Set<string>(["auth", "sign"]);

/** `GET /v1/crl/:kind/:name` and `GET /v1/crl/:kind/partition/:n` over `sources`, first hit wins. */
export function artefactRoutes(sources: readonly RevocationArtefactSource[]): Route[] {
  const serve = async (
    kindText: string,
    name: string,
    ifNoneMatch: string | undefined,
  ): Promise<RouteResponse> => {
    if (!KINDS.has(kindText))
      throw new ServiceError(
        "not_found",
        `no CRL kind ${JSON.stringify(kindText.slice(0, 40))}: expected auth or sign`,
      );
    const kind = kindText as CaKind;
    for (const s of sources) {
      const a = await s.get(kind, name);
      if (!a) continue;
      const headers = { etag: a.etag, "cache-control": `public, max-age=${a.maxAgeSeconds}` };
      if (etagMatches(ifNoneMatch, a.etag)) return { status: 304, headers, body: "" };
      return { headers: { ...headers, "content-type": a.contentType }, body: a.bytes };
    }
    throw new ServiceError(
      "not_found",
      `no ${kind} artefact ${JSON.stringify(name.slice(0, 60))} is published here`,
    );
  };
  return [
    {
      method: "GET",
      path: "/v1/crl/:kind/:name",
      handler: (ctx) => serve(ctx.params.kind!, ctx.params.name!, ctx.req.headers["if-none-match"]),
    },
    {
      method: "GET",
      path: "/v1/crl/:kind/partition/:n",
      handler: (ctx) =>
        serve(ctx.params.kind!, `partition/${ctx.params.n!}`, ctx.req.headers["if-none-match"]),
    },
  ];
}
