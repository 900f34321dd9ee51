import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { ExchangeCore } from "./exchange-core.js";
import { CodeCore } from "./institution-codes.js";
import { InstitutionDirectory } from "./institutions.js";
import { memoryLogger } from "./network-logger.js";
import { decodeRecord, encodeRecord } from "./provision-record.js";
import { Whitelist } from "./whitelist.js";
import { buildWhitelistRows, INSTITUTION_KINDS } from "./whitelist-table.js";

const T = Date.UTC(2025, 5, 10, 10);
const rows = buildWhitelistRows();
const dir = new InstitutionDirectory(INSTITUTION_KINDS.map((kind) => ({ id: `${kind}-1`, kind })));

function setup() {
  const key = new Uint8Array(32).fill(7);
  const codes = new CodeCore(
    key,
    [...dir.values()].map((i) => i.id),
  );
  const log = memoryLogger();
  const core = new ExchangeCore(codes, new Whitelist(rows, dir), log);
  return { codes, log, core };
}

describe("ExchangeCore", () => {
  it("maps the person to the provider's code and yields both sides' records, never the same code", () => {
    const { codes, core, log } = setup();
    const reqCode = codes.issueCode("municipality-1", "person-42");
    const out = core.exchange({
      exchangeId: "ex-1",
      requester: "municipality-1",
      provider: "japan-pension-service-1",
      requesterCode: reqCode,
      procedure: "nursing-care/premium-stage",
      dataItems: ["pension/benefit-amount", "pension/old-age-benefit"],
      requestedAt: T,
      providedAt: T + 900,
    });
    expect(out.providerCode).toBe(codes.issueCode("japan-pension-service-1", "person-42"));
    expect(out.providerCode).not.toBe(reqCode);
    expect(out.requesterRecord.personCode).toBe(reqCode);
    expect(out.providerRecord.personCode).toBe(out.providerCode);
    expect(out.providerRecord.side).toBe("provider");
    expect(decodeRecord(encodeRecord(out.providerRecord))).toEqual(out.providerRecord);
    expect(out.rowIds.length).toBeGreaterThan(0);
    expect(log.lines).toEqual([]);
  });

  it("tries every (requester, provider, procedure, item) it can: accepts only the table's, each refusal logged once with no code issued", () => {
    const { codes, core, log } = setup();
    const lawful = new Set<string>();
    for (const r of rows)
      for (const p of r.providers)
        for (const i of p.items) lawful.add(`${r.requester}|${p.provider}|${r.procedure}|${i}`);
    const procedures = [...new Set(rows.map((r) => r.procedure))];
    const items = [...new Set(rows.flatMap((r) => r.providers.flatMap((p) => p.items)))];
    const rnd = mulberry32(12);
    const inst = [...dir.values()];
    const codesOf = new Map(inst.map((i) => [i.id, codes.issueCode(i.id, "person-1")]));
    const issuedBefore = codes.size;
    let accepted = 0;
    let refused = 0;
    for (const a of inst) {
      for (const b of inst) {
        for (const item of items) {
          const procedure = procedures[randomInt(rnd, procedures.length)]!;
          // half the time pick a procedure that allows the triple, when there is one
          const allowing = rows.find(
            (r) =>
              r.requester === a.kind &&
              r.providers.some((p) => p.provider === b.kind && p.items.includes(item)),
          );
          const proc = allowing && randomInt(rnd, 2) === 0 ? allowing.procedure : procedure;
          const expected = lawful.has(`${a.kind}|${b.kind}|${proc}|${item}`);
          try {
            core.exchange({
              exchangeId: `x${accepted + refused}`,
              requester: a.id,
              provider: b.id,
              requesterCode: codesOf.get(a.id)!,
              procedure: proc,
              dataItems: [item],
              requestedAt: T,
              providedAt: T + 1,
            });
            expect(expected).toBe(true);
            accepted++;
          } catch (e) {
            expect(expected).toBe(false);
            expect(e).toMatchObject({ code: "E_NOT_WHITELISTED" });
            refused++;
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBe(log.lines.length);
    // accepted exchanges only re-derive codes already issued for person-1
    expect(codes.size).toBe(issuedBefore);
  });

  it("a code that does not resolve, or a malformed record, is refused, logged once, and issues nothing", () => {
    const { codes, core, log } = setup();
    const good = {
      exchangeId: "ex-2",
      requester: "municipality-1",
      provider: "japan-pension-service-1",
      requesterCode: codes.issueCode("municipality-1", "p"),
      procedure: "nursing-care/premium-stage",
      dataItems: ["pension/benefit-amount"],
      requestedAt: T,
      providedAt: T + 1,
    };
    const before = codes.size;
    expect(() => core.exchange({ ...good, requesterCode: "f".repeat(64) })).toThrowError(
      expect.objectContaining({ code: "E_CODE_UNRESOLVED" }),
    );
    expect(() =>
      core.exchange({ ...good, requesterCode: codes.issueCode("prefecture-1", "p") }),
    ).toThrowError(/not issued to institution "municipality-1"/);
    expect(() => core.exchange({ ...good, dataItems: [] })).toThrowError(
      expect.objectContaining({ code: "E_RECORD_FORMAT" }),
    );
    expect(() => core.exchange({ ...good, requester: "ghost" })).toThrowError(
      expect.objectContaining({ code: "E_UNKNOWN_INSTITUTION" }),
    );
    expect(log.lines.map((l) => l.fields.code)).toEqual([
      "E_CODE_UNRESOLVED",
      "E_CODE_UNRESOLVED",
      "E_RECORD_FORMAT",
      "E_UNKNOWN_INSTITUTION",
    ]);
    expect(codes.size).toBe(before + 1); // only the prefecture code the test itself issued
  });
});
