/**
 * Serial → resident from the CA ledger (resident-links.ts): authentication serials linked by
 * `card apdu --new --pki` are found (any hex spelling), signature serials and entries of ledgers
 * written before the link was recorded are not (and such ledgers still load), a ledger replaced
 * while serving is re-read on a miss, a broken replacement keeps the last good links, and a
 * directory without a ledger is refused with one message.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../../engine/errors.js";
import { CA_STATE_FILE, type CaState } from "../jpki/ca-directory.js";
import { ResidentLinks } from "./resident-links.js";

const dir = mkdtempSync(join(tmpdir(), "myna-links-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let tick = 1_700_000_000;
function write(state: unknown): void {
  const f = join(dir, CA_STATE_FILE);
  writeFileSync(f, typeof state === "string" ? state : JSON.stringify(state));
  utimesSync(f, ++tick, tick); // a distinct mtime per write, as a real replacement has
}

const ledger = (issued: CaState["issued"]): CaState => ({
  format: "myna-twin-ca/1",
  nextSerial: issued.length + 1,
  partitions: 1,
  crlNumber: { auth: 1, sign: 1 },
  issued,
  revoked: [],
});

describe("resident links from the CA ledger", () => {
  it("links auth serials with a My Number; old entries and sign serials are not linked", () => {
    write(
      ledger([
        { serial: "0A0B", kind: "auth", at: "2026-01-01T00:00:00Z" },
        { serial: "0C0D", kind: "auth", at: "2026-01-01T00:00:00Z", myNumber: "123456789018" },
        { serial: "0E0F", kind: "sign", at: "2026-01-01T00:00:00Z", myNumber: "123456789018" },
      ]),
    );
    const links = new ResidentLinks(dir);
    expect(links.size).toBe(1);
    expect(links.myNumberOf("0C0D")).toBe("123456789018");
    expect(links.myNumberOf("0c:0d")).toBe("123456789018");
    expect(links.myNumberOf("000C0D")).toBe("123456789018");
    expect(links.myNumberOf("0A0B")).toBeUndefined();
    expect(links.myNumberOf("0E0F")).toBeUndefined();
    expect(links.myNumberOf("not hex")).toBeUndefined();
  });

  it("re-reads a replaced ledger on a miss and keeps the last good links when the file is broken", () => {
    write(ledger([{ serial: "01", kind: "auth", at: "2026-01-01T00:00:00Z", myNumber: "111111111118" }]));
    const links = new ResidentLinks(dir);
    expect(links.myNumberOf("02")).toBeUndefined();
    write(
      ledger([
        { serial: "01", kind: "auth", at: "2026-01-01T00:00:00Z", myNumber: "111111111118" },
        { serial: "02", kind: "auth", at: "2026-01-02T00:00:00Z", myNumber: "222222222226" },
      ]),
    );
    expect(links.myNumberOf("02")).toBe("222222222226");
    write("{ broken");
    expect(links.myNumberOf("03")).toBeUndefined();
    expect(links.myNumberOf("01")).toBe("111111111118");
  });

  it("refuses a directory without a ledger, or with one that is not a ledger", () => {
    const empty = mkdtempSync(join(tmpdir(), "myna-links-empty-"));
    try {
      const e = (() => {
        try {
          new ResidentLinks(empty);
        } catch (x) {
          return x;
        }
      })();
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(/ca-state\.json is missing.*pki init/);
      writeFileSync(join(empty, CA_STATE_FILE), "[]");
      expect(() => new ResidentLinks(empty)).toThrow(/is not a CA ledger/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
