import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import { mulberry32 } from "../../engine/random/small-prng.js";
import { buildCrlArtefacts, createSampleRoot, randomEntries, type CrlArtefacts } from "./artefacts.js";
import { partitionsOf, revocationArtefactSource, strongEtag } from "./artefact-source.js";
import { artefactRoutes } from "../services/artefacts.js";
import type { RequestContext } from "../services/http-host.js";
import { parseCrl } from "../pki/crl-index.js";
import { serialPartition, type JpkiRoot } from "../pki/jpki-profiles.js";

const NOW = Date.UTC(2026, 5, 1, 0, 0, 0);
let a: CrlArtefacts;
let root: JpkiRoot;

beforeAll(() => {
  root = createSampleRoot("sign", 3, NOW - 86_400_000);
  const rnd = mulberry32(3);
  a = buildCrlArtefacts({
    root,
    type: "sign",
    at: NOW,
    full: randomEntries(rnd, 100, NOW, 3),
    delta: randomEntries(rnd, 10, NOW, 4),
    partitions: 4,
    crlNumber: 8,
  });
});

describe("artefact source for myna-twin serve", () => {
  it("serves full, delta, partitions and filter by name with a strong ETag and max-age to nextUpdate", async () => {
    const filter = Uint8Array.of(1, 2, 3);
    const src = revocationArtefactSource(
      {
        sign: {
          full: a.full,
          delta: a.delta,
          partitions: a.partitions,
          filter: { bytes: filter, maxAgeSeconds: 600 },
        },
      },
      { now: () => NOW, capSeconds: 86_400 * 2 },
    );
    const full = await src.get("sign", "full");
    expect(full!.bytes).toBe(a.full);
    expect(full!.etag).toBe(strongEtag(a.full));
    expect(full!.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(full!.contentType).toBe("application/pkix-crl");
    expect(full!.maxAgeSeconds).toBe(30 * 3600); // nextUpdate = thisUpdate + 30 h
    expect((await src.get("sign", "delta"))!.maxAgeSeconds).toBe(2 * 3600);
    expect((await src.get("sign", "partition/3"))!.bytes).toBe(a.partitions[3]);
    expect(await src.get("sign", "partition/4")).toBeUndefined();
    expect(await src.get("auth", "full")).toBeUndefined();
    const f = await src.get("sign", "filter");
    expect(f).toMatchObject({ maxAgeSeconds: 600, contentType: "application/octet-stream" });
    // different bytes, different ETag; past nextUpdate max-age is 0, and it is capped
    expect((await src.get("sign", "delta"))!.etag).not.toBe(full!.etag);
    const late = revocationArtefactSource({ sign: { full: a.full } }, { now: () => NOW + 40 * 3600_000 });
    expect((await late.get("sign", "full"))!.maxAgeSeconds).toBe(0);
    const capped = revocationArtefactSource({ sign: { full: a.full } }, { now: () => NOW, capSeconds: 60 });
    expect((await capped.get("sign", "full"))!.maxAgeSeconds).toBe(60);
  });

  it("refuses bytes that are not a CRL up front, naming the artefact", () => {
    const bad = a.full.slice(0, 40);
    expect(() => revocationArtefactSource({ auth: { partitions: [a.partitions[0]!, bad] } })).toThrow(
      InputError,
    );
    expect(() => revocationArtefactSource({ auth: { partitions: [a.partitions[0]!, bad] } })).toThrow(
      /revocation artefact auth\/partition\/1: not a CRL/,
    );
  });
});

describe("partitions of a live CA's full CRL (strategy c for serve)", () => {
  it("splits every entry into the partition its serial names, signed by the CA with the full CRL's number and dates", () => {
    const full = parseCrl(a.full);
    const parts = partitionsOf(root, a.full, 4).map((d) => parseCrl(d, { issuerSpki: root.signer.spki }));
    expect(parts.reduce((s, p) => s + p.entries.count, 0)).toBe(full.entries.count);
    parts.forEach((p, i) => {
      expect(p.crlNumber).toBe(full.crlNumber);
      expect(p.nextUpdate).toBe(full.nextUpdate);
      expect(p.hasIssuingDistributionPoint).toBe(true);
      p.entries.forEach((h) => expect(serialPartition(p.entries.serialAt(h), 4)).toBe(i));
    });
    full.entries.forEach((h) => {
      const s = full.entries.serialAt(h);
      const p = parts[serialPartition(s, 4)]!;
      const k = p.entries.find(s);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(p.entries.reason(k)).toBe(full.entries.reason(h));
    });
  });

  it("refuses a CRL of another issuer and a bad partition count", () => {
    const other = createSampleRoot("sign", 2, NOW - 86_400_000);
    expect(() => partitionsOf(other, a.full, 4)).toThrow();
    expect(() => partitionsOf(root, a.full, 0)).toThrow(/partitions: expected 1–4096, got 0/);
  });
});

describe("mounted in serve's artefact routes (sim/services/artefacts.ts)", () => {
  it("GET /v1/crl/sign/partition/2 answers the partition, and 304 for its ETag", async () => {
    const routes = artefactRoutes([
      revocationArtefactSource({ sign: { partitions: a.partitions } }, { now: () => NOW }),
    ]);
    const route = routes.find((r) => r.path === "/v1/crl/:kind/partition/:n")!;
    const ctx = (headers: Record<string, string>): RequestContext =>
      ({ params: { kind: "sign", n: "2" }, req: { headers } }) as unknown as RequestContext;
    const ok = await route.handler(ctx({}));
    expect(ok.body).toBe(a.partitions[2]);
    expect(ok.headers!["content-type"]).toBe("application/pkix-crl");
    expect(ok.headers!["cache-control"]).toBe("public, max-age=3600"); // capped at 1 h (nextUpdate is 30 h away)
    const again = await route.handler(ctx({ "if-none-match": ok.headers!.etag! }));
    expect(again.status).toBe(304);
  });
});
