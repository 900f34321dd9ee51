import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { InstitutionDirectory, nationalDirectory } from "./institutions.js";
import { memoryLogger } from "./network-logger.js";
import { Whitelist } from "./whitelist.js";
import { buildWhitelistRows, INSTITUTION_KINDS } from "./whitelist-table.js";

const rows = buildWhitelistRows();
// one institution of every kind, and a second municipality
const dir = new InstitutionDirectory([
  ...INSTITUTION_KINDS.map((kind) => ({ id: `${kind}-1`, kind })),
  { id: "municipality-2", kind: "municipality" as const },
]);
const wl = new Whitelist(rows, dir);
const allItems = [...new Set(rows.flatMap((r) => r.providers.flatMap((p) => p.items)))];

describe("whitelist (別表第二-shaped table)", () => {
  it("has a realistic size: ≈120 rows, hundreds of lawful triples, dozens of items", () => {
    expect(rows.length).toBe(116);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(wl.tripleCount).toBe(531);
    expect(wl.itemCount).toBe(55);
    // local-tax information is read by more procedures than any other category (it is the largest
    // category of local governments' inquiries, Board of Audit FY2022)
    const rowsByCategory = new Map<string, number>();
    for (const r of rows) {
      const cats = new Set(r.providers.flatMap((p) => p.items.map((i) => i.split("/")[0]!)));
      for (const c of cats) rowsByCategory.set(c, (rowsByCategory.get(c) ?? 0) + 1);
    }
    const top = [...rowsByCategory.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(top).toBe("local-tax");
  });

  it("tries every (requester, provider, item) pair: accepts exactly the table's triples, refuses and logs the rest", () => {
    const lawful = new Set<string>();
    for (const r of rows)
      for (const p of r.providers) for (const i of p.items) lawful.add(`${r.requester}|${p.provider}|${i}`);
    const items = [...allItems, "local-tax/unknown-item", "my-number", ""];
    const log = memoryLogger();
    let accepted = 0;
    let refused = 0;
    for (const a of dir.values()) {
      for (const b of dir.values()) {
        for (const item of items) {
          const expected = lawful.has(`${a.kind}|${b.kind}|${item}`);
          let ok: boolean;
          try {
            const res = wl.check({ requester: a.id, provider: b.id, dataItem: item }, log);
            expect(res.rowIds.length).toBeGreaterThan(0);
            ok = true;
          } catch (e) {
            expect(e).toMatchObject({ code: "E_NOT_WHITELISTED" });
            ok = false;
          }
          expect(ok).toBe(expected);
          if (ok) accepted++;
          else refused++;
        }
      }
    }
    expect(accepted + refused).toBe(dir.size * dir.size * items.length);
    expect(refused).toBe(log.lines.length);
    expect(
      log.lines.every(
        (l) => l.level === "warn" && l.msg === "exchange refused" && l.fields.code === "E_NOT_WHITELISTED",
      ),
    ).toBe(true);
    expect(accepted).toBeGreaterThan(500);
  });

  it("checks the procedure when one is named", () => {
    const log = memoryLogger();
    const req = {
      requester: "municipality-1",
      provider: "japan-pension-service-1",
      dataItem: "pension/benefit-amount",
    };
    expect(wl.check({ ...req, procedure: "nursing-care/premium-stage" }, log).rowIds.length).toBeGreaterThan(
      0,
    );
    expect(() => wl.check({ ...req, procedure: "child-allowance/recognition" }, log)).toThrowError(
      /may not obtain "pension\/benefit-amount" from japan-pension-service "japan-pension-service-1" for procedure "child-allowance\/recognition"/,
    );
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.fields.procedure).toBe("child-allowance/recognition");
  });

  it("refuses unknown institutions and random garbage with a typed error and one log line each", () => {
    const log = memoryLogger();
    expect(() =>
      wl.check(
        { requester: "nobody", provider: "municipality-1", dataItem: "local-tax/taxable-income" },
        log,
      ),
    ).toThrowError(
      expect.objectContaining({
        code: "E_UNKNOWN_INSTITUTION",
        message: 'requester: unknown institution "nobody"',
      }),
    );
    expect(() =>
      wl.check({ requester: "municipality-1", provider: "x", dataItem: "local-tax/taxable-income" }, log),
    ).toThrowError(/provider: unknown/);
    const rnd = mulberry32(3);
    const ids = [...dir.values()].map((i) => i.id);
    for (let t = 0; t < 2000; t++) {
      const junk = String.fromCharCode(
        ...Array.from({ length: randomInt(rnd, 30) }, () => randomInt(rnd, 0x3000)),
      );
      expect(() =>
        wl.check(
          {
            requester: ids[randomInt(rnd, ids.length)]!,
            provider: ids[randomInt(rnd, ids.length)]!,
            dataItem: junk,
          },
          log,
        ),
      ).toThrow();
    }
    expect(log.lines).toHaveLength(2002);
  });

  it("a national directory holds the realistic counts and refuses malformed or duplicate entries", () => {
    const nat = nationalDirectory();
    expect(nat.size).toBe(1741 * 2 + 47 * 3 + 1380 + 85 + 160 + 5);
    expect(nat.get("municipality-1741")?.kind).toBe("municipality");
    expect(() => nat.add({ id: "municipality-0001", kind: "municipality" })).toThrowError(/duplicate/);
    expect(() => nat.add({ id: "Bad Id", kind: "municipality" })).toThrowError(/\[a-z0-9-\]/);
    expect(() => nat.add({ id: "ok", kind: "bank" as never })).toThrowError(/kind: expected one of/);
    const big = new Whitelist(rows, nat);
    expect(
      big.check(
        {
          requester: "municipality-0500",
          provider: "municipality-1200",
          dataItem: "local-tax/taxable-income",
        },
        memoryLogger(),
      ).rowIds,
    ).toContain("R001");
  });
});
