import { X509Certificate, verify as cryptoVerify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MyNumberCard } from "./card.js";
import { loadCard, saveCard } from "./card-store.js";
import { digestInfoFor } from "./digest-info.js";
import { CardFileError, CardPassphraseError } from "./errors.js";
import { toHex } from "./hex.js";
import { SW } from "./status-words.js";
import { Transcript, makeFixture } from "./test-support.js";
import type { CardFixture } from "./test-support.js";
import { InputError } from "../../engine/errors.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { fuzzCardFile } from "./card-file-fuzz.js";
import { open, seal } from "./sealing.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

const SELECT_JPKI = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
const FAST = { N: 1 << 10, r: 8, p: 1 };

function usedCard(): MyNumberCard {
  const card = new MyNumberCard(fx.personalisation());
  card.unlockAtCounter({ auth: "9012" });
  const t = new Transcript(card);
  t.send(SELECT_JPKI);
  t.send("00 A4 02 0C 02 00 18");
  t.send("00 20 00 80 04 30 30 30 30"); // one wrong: 2 left
  t.send("00 A4 02 0C 02 00 1B");
  t.send("00 20 00 80 06 57 52 4F 4E 47 31");
  t.send("00 20 00 80 06 57 52 4F 4E 47 31"); // two wrong: 3 left
  return card;
}

describe("save / load", () => {
  it("round-trips keys, PINs, counters and lock state; the loaded card signs verifiably", () => {
    const card = usedCard();
    const bytes = saveCard(card, "correct horse battery staple");
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toMatch(/PRIVATE KEY|9012|ABC123XYZ|123456789018/);
    expect(JSON.parse(text)).toMatchObject({ format: "myna-twin-card", version: 1, kdf: { name: "scrypt" } });

    const loaded = loadCard(bytes, "correct horse battery staple");
    expect(loaded.locked).toBe(false);
    expect(loaded.triesLeft("auth")).toBe(2);
    expect(loaded.triesLeft("sign")).toBe(3);
    expect(loaded.triesLeft("text")).toBe(3);
    const t = new Transcript(loaded);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C2");
    expect(toHex(t.send("00 20 00 80 04 39 30 31 32").raw)).toBe("90 00");
    t.send("00 A4 02 0C 02 00 17");
    const msg = new TextEncoder().encode("after reload");
    const di = digestInfoFor("sha256", msg);
    const sig = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00));
    expect(sig.sw).toBe(SW.OK);
    expect(cryptoVerify("sha256", msg, new X509Certificate(fx.authCert).publicKey, sig.data)).toBe(true);
  });

  it("keeps a locked card locked and a child card without signature side", () => {
    const locked = new MyNumberCard(fx.personalisation());
    expect(loadCard(saveCard(locked, "pw", FAST), "pw").locked).toBe(true);
    const child = new MyNumberCard(
      fx.personalisation({
        hasSignatureCert: false,
        signCert: undefined,
        signKey: undefined,
        pins: { auth: "1234", text: "5678" },
      }),
    );
    const back = loadCard(saveCard(child, "pw", FAST), "pw");
    expect(back.hasSignatureCert).toBe(false);
    expect(back.triesLeft("sign")).toBeUndefined();
  });

  it("a wrong passphrase is a CardPassphraseError (an InputError)", () => {
    const bytes = saveCard(usedCard(), "right", FAST);
    let err: unknown;
    try {
      loadCard(bytes, "wrong");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CardPassphraseError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as CardPassphraseError).code).toBe("E_CARD_PASSPHRASE");
  });

  it("corrupted or tampered files are CardFileError", () => {
    const bytes = saveCard(usedCard(), "pw", FAST);
    const env = JSON.parse(new TextDecoder().decode(bytes));
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

    const flipped = Buffer.from(env.ciphertext, "base64");
    flipped[10] = (flipped[10] as number) ^ 0x01;
    const variants: [string, Uint8Array][] = [
      ["ciphertext bit flip", enc({ ...env, ciphertext: flipped.toString("base64") })],
      ["truncated file", bytes.subarray(0, bytes.length - 20)],
      ["not JSON", new TextEncoder().encode("hello")],
      ["binary garbage", Uint8Array.of(0xff, 0xfe, 0x00)],
      ["wrong format", enc({ ...env, format: "something-else" })],
      ["future version", enc({ ...env, version: 99 })],
      ["huge scrypt N", enc({ ...env, kdf: { ...env.kdf, N: 1 << 24 } })],
      ["tag removed", enc({ ...env, cipher: { ...env.cipher, tag: "" } })],
      ["truncated ciphertext", enc({ ...env, ciphertext: flipped.subarray(0, 40).toString("base64") })],
    ];
    for (const [what, v] of variants) {
      expect(() => loadCard(v, "pw"), what).toThrow(CardFileError);
    }
  });
});

describe("card-file loading under mutation (fixed seed)", () => {
  const FILE_MUTATIONS = 400;
  const RECORD_MUTATIONS = 300;

  it(`${FILE_MUTATIONS} mutated files: each is refused with a typed error, or loads as the unchanged card`, () => {
    const card = usedCard();
    const report = fuzzCardFile(card, saveCard(card, "pw", FAST), "pw", 0x0c4d_f11e, FILE_MUTATIONS);
    expect(report.failures).toEqual([]);
    expect(report.inputs).toBe(FILE_MUTATIONS);
    const refused = [...report.refused.values()].reduce((a, b) => a + b, 0);
    expect(refused + report.absorbed).toBe(FILE_MUTATIONS);
    expect(refused).toBeGreaterThan(FILE_MUTATIONS * 0.9);
    expect(report.refused.get("E_CARD_FILE")).toBeGreaterThan(0);
  });

  it(`${RECORD_MUTATIONS} authenticated but altered records (right passphrase): typed error or a valid card`, () => {
    const base = JSON.parse(
      new TextDecoder().decode(
        open(JSON.parse(new TextDecoder().decode(saveCard(usedCard(), "pw", FAST))), "pw"),
      ),
    ) as Record<string, unknown>;
    const rnd = mulberry32(0x0ec0_4d00);
    const odd: unknown[] = [
      null,
      true,
      -1,
      1.5,
      2 ** 60,
      "",
      "x",
      "AAAA",
      [],
      {},
      { auth: "12" },
      { auth: 99 },
    ];
    const keys = Object.keys(base);
    let refused = 0;
    for (let i = 0; i < RECORD_MUTATIONS; i++) {
      const r: Record<string, unknown> = structuredClone(base);
      const k = keys[randomInt(rnd, keys.length)]!;
      if (randomInt(rnd, 5) === 0) delete r[k];
      else if (typeof r[k] === "string" && randomInt(rnd, 2) === 0) {
        const s = r[k] as string;
        const at = randomInt(rnd, s.length + 1);
        r[k] = s.slice(0, at) + String.fromCharCode(randomInt(rnd, 128)) + s.slice(at + 1);
      } else r[k] = odd[randomInt(rnd, odd.length)];
      const file = new TextEncoder().encode(
        JSON.stringify(seal(new TextEncoder().encode(JSON.stringify(r)), "pw", FAST)),
      );
      try {
        loadCard(file, "pw");
      } catch (e) {
        expect(e, `${k} = ${JSON.stringify(r[k])?.slice(0, 40)}`).toBeInstanceOf(InputError);
        expect((e as InputError).code).toBe("E_CARD_FILE");
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(RECORD_MUTATIONS / 2);
  });
});
