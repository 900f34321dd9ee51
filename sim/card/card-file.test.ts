import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApduFuzzer } from "./apdu-fuzz.js";
import { MyNumberCard } from "./card.js";
import { CardFile, STATE_DIR_NAME } from "./card-file.js";
import { loadCard, readCard, saveCard } from "./card-store.js";
import { CardBusyError, CardRollbackError, CardStoreError } from "./errors.js";
import { fromHex, toHex } from "./hex.js";
import { open, seal } from "./sealing.js";
import { makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";

const FAST = { N: 1 << 10, r: 8, p: 1 };
const PW = "pw";
const SELECT_JPKI = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
const SELECT_AUTH_PIN = "00 A4 02 0C 02 00 18";
const WRONG = "00 20 00 80 04 30 30 30 30";
const RIGHT = "00 20 00 80 04 31 32 33 34";

let fx: CardFixture;
let root: string;
beforeAll(() => {
  fx = makeFixture();
  root = mkdtempSync(join(tmpdir(), "myna-card-file-"));
});
afterAll(() => {
  fx.dispose();
  rmSync(root, { recursive: true, force: true });
});

function freshCard(): MyNumberCard {
  const c = new MyNumberCard(fx.personalisation());
  c.unlockAtCounter();
  return c;
}

const send = (s: CardFile, hex: string) => toHex(s.transmit(fromHex(hex)));
/** Tries left on the auth PIN as the file on disk says, read without a session. */
const onDisk = (file: string) => loadCard(readFileSync(file), PW).triesLeft("auth");

describe("CardFile", () => {
  it("writes each PIN-counter change to the file before the answer is returned", () => {
    const dir = mkdtempSync(join(root, "durable-"));
    const file = join(dir, "c.card");
    const s = CardFile.create(file, freshCard(), PW, { params: FAST });
    expect(s.generation).toBe(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, STATE_DIR_NAME)).mode & 0o777).toBe(0o700);
    send(s, SELECT_JPKI);
    send(s, SELECT_AUTH_PIN);
    expect(s.generation).toBe(1); // SELECTs change nothing that persists
    expect(send(s, WRONG)).toBe("63 C2");
    expect(onDisk(file)).toBe(2); // on disk while the session is still open
    expect(send(s, WRONG)).toBe("63 C1");
    expect(onDisk(file)).toBe(2 - 1);
    expect(send(s, "00 20 00 80")).toBe("63 C1"); // the query spends nothing and writes nothing
    expect(s.generation).toBe(3);
    expect(send(s, RIGHT)).toBe("90 00");
    expect(onDisk(file)).toBe(3);
    s.close();
    // nothing left behind but the card, its generation record
    expect(readdirSync(dir).sort()).toEqual([STATE_DIR_NAME, "c.card"]);
    expect(readdirSync(join(dir, STATE_DIR_NAME))).toEqual([`${s.card.cardId}.gen`]);
    expect(readCard(readFileSync(file), PW).generation).toBe(4);
  });

  it("holds the card for the whole session: a second open is refused until close", () => {
    const file = join(mkdtempSync(join(root, "busy-")), "c.card");
    const a = CardFile.create(file, freshCard(), PW, { params: FAST });
    expect(() => CardFile.open(file, PW)).toThrow(CardBusyError);
    a.close();
    const b = CardFile.open(file, PW);
    b.close();
  });

  it("refuses an old copy put back (rollback) and a stale clone beside the card", () => {
    const dir = mkdtempSync(join(root, "rollback-"));
    const file = join(dir, "c.card");
    const s = CardFile.create(file, freshCard(), PW, { params: FAST });
    s.close();
    const old = readFileSync(file);
    copyFileSync(file, join(dir, "clone.card"));
    const t = CardFile.open(file, PW);
    send(t, SELECT_JPKI);
    send(t, SELECT_AUTH_PIN);
    expect(send(t, WRONG)).toBe("63 C2");
    t.close();
    writeFileSync(file, old);
    expect(() => CardFile.open(file, PW)).toThrow(CardRollbackError);
    expect(() => CardFile.open(file, PW)).toThrow(
      /old copy of card [0-9a-f]{32}: its generation is 1, but generation 2/,
    );
    expect(() => CardFile.open(join(dir, "clone.card"), PW)).toThrow(CardRollbackError);
    // the refusal left the lock free and changed nothing
    expect(readFileSync(file)).toEqual(old);
    expect(existsSync(join(dir, STATE_DIR_NAME, `${t.card.cardId}.lock`))).toBe(false);
  });

  it("reads a version-1 file (no generation) as generation 0 and writes generations from there", () => {
    const dir = mkdtempSync(join(root, "v1-"));
    const file = join(dir, "c.card");
    // a file as the version before generations wrote it: recordVersion 1, no generation field
    const record = JSON.parse(
      new TextDecoder().decode(
        open(JSON.parse(new TextDecoder().decode(saveCard(freshCard(), PW, FAST))), PW),
      ),
    );
    expect(record).toMatchObject({ recordVersion: 2, generation: 0 });
    record.recordVersion = 1;
    delete record.generation;
    writeFileSync(file, JSON.stringify(seal(new TextEncoder().encode(JSON.stringify(record)), PW, FAST)));
    expect(readCard(readFileSync(file), PW).generation).toBe(0);
    const s = CardFile.open(file, PW);
    expect(s.generation).toBe(0);
    send(s, SELECT_JPKI);
    send(s, SELECT_AUTH_PIN);
    send(s, WRONG);
    expect(s.generation).toBe(1);
    s.close();
  });

  it("withholds the answer when the state cannot be written (CardStoreError)", () => {
    const dir = mkdtempSync(join(root, "gone-"));
    const file = join(dir, "sub", "c.card");
    mkdirSync(join(dir, "sub"));
    const s = CardFile.create(file, freshCard(), PW, { params: FAST, stateDir: join(dir, "state") });
    send(s, SELECT_JPKI);
    send(s, SELECT_AUTH_PIN);
    rmSync(join(dir, "sub"), { recursive: true });
    expect(() => send(s, WRONG)).toThrow(CardStoreError);
    s.close();
    // a missing directory is not created behind the user's back
    expect(() => CardFile.create(join(dir, "nowhere", "x.card"), freshCard(), PW, { params: FAST })).toThrow(
      /cannot create .*ENOENT/,
    );
    expect(existsSync(join(dir, "nowhere"))).toBe(false);
  });

  it("a state directory shared by copies in two directories catches a copy moved elsewhere", () => {
    const state = mkdtempSync(join(root, "state-"));
    const a = join(mkdtempSync(join(root, "here-")), "c.card");
    const b = join(mkdtempSync(join(root, "there-")), "c.card");
    const s = CardFile.create(a, freshCard(), PW, { params: FAST, stateDir: state });
    copyFileSync(a, b);
    expect(() => CardFile.open(b, PW, { stateDir: state })).toThrow(CardBusyError); // the same card
    send(s, SELECT_JPKI);
    send(s, SELECT_AUTH_PIN);
    send(s, WRONG);
    s.close();
    expect(() => CardFile.open(b, PW, { stateDir: state })).toThrow(CardRollbackError);
  });

  it("under 800 fuzzed APDUs (fixed seed), the file always holds the state the card last answered from", () => {
    const file = join(mkdtempSync(join(root, "fuzz-")), "c.card");
    const s = CardFile.create(file, freshCard(), PW, { params: FAST });
    const fuzzer = new ApduFuzzer(0xf11e_0007);
    let writes = 0;
    const pins = { auth: "1234", sign: "ABC123XYZ", text: "5678" } as const;
    for (let i = 0; i < 800; i++) {
      if (i % 100 === 99) {
        // the municipal counter unblocks what the fuzzing blocked: a host-side change, committed
        for (const kind of ["auth", "sign", "text"] as const)
          if (s.card.triesLeft(kind) === 0) s.card.resetPinAtCounter(kind, pins[kind]);
        s.commit();
      }
      const before = s.generation;
      // every tenth input a VERIFY (right or wrong) of a freshly selected PIN, so counter changes
      // come often; the rest fuzzed
      if (i % 10 === 0) {
        const ap = i % 30 === 0 ? "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08" : SELECT_JPKI;
        const ef = i % 30 === 0 ? "00 11" : i % 20 === 0 ? "00 1B" : "00 18";
        s.transmit(fromHex(ap));
        s.transmit(fromHex(`00 A4 02 0C 02 ${ef}`));
        s.transmit(fromHex(i % 40 === 0 ? RIGHT : WRONG));
      } else s.transmit(i % 3 === 0 ? fuzzer.corpus() : fuzzer.next());
      if (s.generation === before) continue;
      writes++;
      const disk = loadCard(readFileSync(file), PW);
      for (const kind of ["auth", "sign", "text"] as const)
        expect(disk.triesLeft(kind)).toBe(s.card.triesLeft(kind));
      expect(readCard(readFileSync(file), PW).generation).toBe(s.generation);
    }
    s.close();
    expect(writes).toBeGreaterThan(10);
  });
});
