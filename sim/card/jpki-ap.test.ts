import { X509Certificate, constants, createHash, publicDecrypt, verify as cryptoVerify } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MyNumberCard } from "./card.js";
import { DIGEST_INFO_PREFIX, digestInfoFor } from "./digest-info.js";
import { toHex } from "./hex.js";
import { SW } from "./status-words.js";
import { FIXTURE_PINS, Transcript, makeFixture, opensslVerifySha256 } from "./test-support.js";
import type { CardFixture } from "./test-support.js";

let fx: CardFixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(() => fx.dispose());

function issuedCard(overrides = {}): MyNumberCard {
  const card = new MyNumberCard(fx.personalisation(overrides));
  card.unlockAtCounter();
  return card;
}

const hex = (s: string) => s.replace(/\s+/g, " ").trim();
const SELECT_JPKI = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";

/** Read a whole DER object from the current EF: 4-byte header, then 256-byte chunks (Le = 00). */
function readDer(t: Transcript): Uint8Array {
  const head = t.send("00 B0 00 00 04");
  expect(head.sw).toBe(SW.OK);
  expect(head.data[0]).toBe(0x30);
  expect(head.data[1]).toBe(0x82);
  const total = (((head.data[2] as number) << 8) | (head.data[3] as number)) + 4;
  const out = new Uint8Array(total);
  out.set(head.data, 0);
  let offset = 4;
  while (offset < total) {
    const r = t.send(Uint8Array.of(0x00, 0xb0, offset >> 8, offset & 0xff, 0x00));
    expect(r.sw).toBe(SW.OK);
    expect(r.data.length).toBe(Math.min(256, total - offset));
    out.set(r.data, offset);
    offset += r.data.length;
  }
  return out;
}

describe("JPKI AP: authentication transcript (FACTS §2.6)", () => {
  it("runs byte for byte and the signature verifies with node:crypto and the openssl CLI", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    const message = new TextEncoder().encode("Myna Portal log-in challenge 2024-05-01T09:00:00Z nonce=8f1c");
    const digestInfo = digestInfoFor("sha256", message);
    expect(digestInfo.length).toBe(0x33);

    expect(toHex(t.send(SELECT_JPKI).raw)).toBe("90 00");
    expect(toHex(t.send("00 A4 02 0C 02 00 0A").raw)).toBe("90 00");
    const cert = readDer(t);
    expect(cert).toEqual(fx.authCert);
    expect(toHex(t.send("00 A4 02 0C 02 00 18").raw)).toBe("90 00");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80 04 31 32 33 34").raw)).toBe("90 00");
    expect(toHex(t.send("00 A4 02 0C 02 00 17").raw)).toBe("90 00");
    const signCmd = Uint8Array.of(0x80, 0x2a, 0x00, 0x80, 0x33, ...digestInfo, 0x00);
    const sig = t.send(signCmd);
    expect(sig.sw).toBe(SW.OK);
    expect(sig.data.length).toBe(256);

    // The commands, as sent, are exactly FACTS §2.6's.
    const sent = t.log.map((e) => toHex(e.command));
    expect(sent[0]).toBe(hex(SELECT_JPKI));
    expect(sent[2]).toBe("00 B0 00 00 04");
    expect(sent[3]).toBe("00 B0 00 04 00");
    expect(sent.at(-1)).toBe(`80 2A 00 80 33 ${toHex(digestInfo)} 00`);
    expect(
      sent.at(-1)?.startsWith("80 2A 00 80 33 30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20"),
    ).toBe(true);

    // Verify with the public key taken from the certificate read off the card.
    const publicKey = new X509Certificate(cert).publicKey;
    expect(cryptoVerify("sha256", message, publicKey, sig.data)).toBe(true);
    expect(opensslVerifySha256(fx.dir, cert, message, sig.data)).toBe("Verified OK");
    // A different message does not verify.
    expect(cryptoVerify("sha256", new TextEncoder().encode("other"), publicKey, sig.data)).toBe(false);

    if (process.env.CARD_TRANSCRIPT_OUT) writeFileSync(process.env.CARD_TRANSCRIPT_OUT, t.toText() + "\n");
  });
});

describe("JPKI AP: signature path (FACTS §2.6 署名)", () => {
  it("0001 is unreadable before VERIFY of 001B and readable after; signing with 001A verifies", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    expect(t.send(SELECT_JPKI).sw).toBe(SW.OK);
    expect(t.send("00 A4 02 0C 02 00 01").sw).toBe(SW.OK);
    expect(toHex(t.send("00 B0 00 00 04").raw)).toBe("69 82");
    expect(t.send("00 A4 02 0C 02 00 1B").sw).toBe(SW.OK);
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C5");
    const pw = new TextEncoder().encode(FIXTURE_PINS.sign);
    expect(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, pw.length, ...pw)).sw).toBe(SW.OK);
    expect(t.send("00 A4 02 0C 02 00 01").sw).toBe(SW.OK);
    const cert = readDer(t);
    expect(cert).toEqual(fx.signCert);
    // The auth key is still guarded by its own PIN.
    expect(t.send("00 A4 02 0C 02 00 17").sw).toBe(SW.OK);
    const message = new TextEncoder().encode("e-Tax return 2023");
    const di = digestInfoFor("sha256", message);
    expect(toHex(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).raw)).toBe("69 82");
    expect(t.send("00 A4 02 0C 02 00 1A").sw).toBe(SW.OK);
    const sig = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00));
    expect(sig.sw).toBe(SW.OK);
    expect(cryptoVerify("sha256", message, new X509Certificate(cert).publicKey, sig.data)).toBe(true);
    expect(opensslVerifySha256(fx.dir, cert, message, sig.data)).toBe("Verified OK");
  });

  it("reading 0001 stops working after re-SELECT of the AP (security state reset)", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 1B");
    const pw = new TextEncoder().encode(FIXTURE_PINS.sign);
    expect(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, pw.length, ...pw)).sw).toBe(SW.OK);
    t.send("00 A4 02 0C 02 00 01");
    expect(t.send("00 B0 00 00 04").sw).toBe(SW.OK);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 01");
    expect(t.send("00 B0 00 00 04").sw).toBe(SW.SECURITY_NOT_SATISFIED);
    // reset() (card leaves the field) too.
    t.send("00 A4 02 0C 02 00 1B");
    t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, pw.length, ...pw));
    card.reset();
    expect(t.send("00 A4 02 0C 02 00 01").sw).toBe(SW.FILE_NOT_FOUND); // nothing selected after reset
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 01");
    expect(t.send("00 B0 00 00 04").sw).toBe(SW.SECURITY_NOT_SATISFIED);
  });
});

describe("JPKI AP: signing schemes and DigestInfos", () => {
  function authedCard(): Transcript {
    const t = new Transcript(issuedCard());
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(t.send("00 20 00 80 04 31 32 33 34").sw).toBe(SW.OK);
    t.send("00 A4 02 0C 02 00 17");
    return t;
  }
  const authPub = () => new X509Certificate(fx.authCert).publicKey;

  it.each(["sha1", "sha256", "sha384", "sha512"] as const)("pads a %s DigestInfo (P1 00)", (alg) => {
    const t = authedCard();
    const msg = new TextEncoder().encode(`message for ${alg}`);
    const di = digestInfoFor(alg, msg);
    expect(di.subarray(0, DIGEST_INFO_PREFIX[alg].length)).toEqual(DIGEST_INFO_PREFIX[alg]);
    const r = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00));
    expect(r.sw).toBe(SW.OK);
    expect(cryptoVerify(alg, msg, authPub(), r.data)).toBe(true);
  });

  it("pads arbitrary data up to k-11 = 245 bytes and refuses 246", () => {
    const t = authedCard();
    const data = new Uint8Array(245).fill(0x5a);
    const r = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, 245, ...data, 0x00));
    expect(r.sw).toBe(SW.OK);
    const recovered = publicDecrypt({ key: authPub(), padding: constants.RSA_PKCS1_PADDING }, r.data);
    expect(new Uint8Array(recovered)).toEqual(data);
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, 246, ...new Uint8Array(246), 0x00)).sw).toBe(
      SW.WRONG_LENGTH,
    );
  });

  it("P1 01/02/03 hash or wrap on the card; P1 04+ answers 6A86", () => {
    const t = authedCard();
    const msg = new TextEncoder().encode("hash me on the card");
    const hash = createHash("sha256").update(msg).digest();
    const r3 = t.send(Uint8Array.of(0x80, 0x2a, 0x03, 0x80, msg.length, ...msg, 0x00));
    expect(cryptoVerify("sha256", msg, authPub(), r3.data)).toBe(true);
    const r2 = t.send(Uint8Array.of(0x80, 0x2a, 0x02, 0x80, 32, ...hash, 0x00));
    expect(r2.data).toEqual(r3.data);
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x02, 0x80, 31, ...hash.subarray(1), 0x00)).sw).toBe(
      SW.WRONG_LENGTH,
    );
    const r1 = t.send(Uint8Array.of(0x80, 0x2a, 0x01, 0x80, msg.length, ...msg, 0x00));
    expect(
      new Uint8Array(publicDecrypt({ key: authPub(), padding: constants.RSA_PKCS1_PADDING }, r1.data)),
    ).toEqual(new Uint8Array(hash));
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x04, 0x80, 32, ...hash, 0x00)).sw).toBe(SW.WRONG_P1P2);
  });

  it("P2 = 80|SFI names the key without SELECT (97 auth); sign key 9A still needs its password", () => {
    const t = authedCard();
    t.send("00 A4 02 0C 02 00 0A"); // a non-key EF is current
    const di = digestInfoFor("sha256", Uint8Array.of(1, 2, 3));
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).sw).toBe(
      SW.CONDITIONS_NOT_SATISFIED,
    );
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x97, di.length, ...di, 0x00)).sw).toBe(SW.OK);
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x9a, di.length, ...di, 0x00)).sw).toBe(
      SW.SECURITY_NOT_SATISFIED,
    );
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x9f, di.length, ...di, 0x00)).sw).toBe(SW.WRONG_P1P2);
  });

  it("needs data and Le; a short Le answers 6C00 (256 available)", () => {
    const t = authedCard();
    const di = digestInfoFor("sha256", Uint8Array.of(9));
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di)).sw).toBe(SW.WRONG_LENGTH);
    expect(t.send("80 2A 00 80 00").sw).toBe(SW.WRONG_LENGTH);
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x80)).sw).toBe(0x6c00);
  });

  it("signatures are deterministic (PKCS#1 v1.5)", () => {
    const t = authedCard();
    const di = digestInfoFor("sha256", Uint8Array.of(7));
    const a = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00));
    const b = t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00));
    expect(a.data).toEqual(b.data);
  });
});

describe("JPKI AP: free EFs", () => {
  it("EF 0006 is a 160-byte token info labelled JPKIAPICCTOKEN2; EF 0008 is 8F 8F 00; CA certs are free", () => {
    const t = new Transcript(issuedCard());
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 06");
    const r = t.send("00 B0 00 00 00");
    expect(r.sw).toBe(SW.OK);
    expect(r.data.length).toBe(160);
    expect(new TextDecoder().decode(r.data.subarray(0, 32))).toBe("JPKIAPICCTOKEN2".padEnd(32, " "));
    expect(toHex(t.send("00 B0 00 A0 01").raw)).toBe("6B 00"); // offset 160 = end of file
    t.send("00 A4 02 0C 02 00 08");
    expect(toHex(t.send("00 B0 00 00 00").raw)).toBe("8F 8F 00 90 00");
    t.send("00 A4 02 0C 02 00 0B");
    expect(readDer(t)).toEqual(fx.authCaCert);
    t.send("00 A4 02 0C 02 00 02");
    expect(readDer(t)).toEqual(fx.signCaCert);
  });

  it("short-EF READ BINARY (P1 = 80|SFI) selects and reads; key EFs are not readable", () => {
    const t = new Transcript(issuedCard());
    t.send(SELECT_JPKI);
    expect(toHex(t.send("00 B0 88 00 03").raw)).toBe("8F 8F 00 90 00");
    const head = t.send("00 B0 8A 00 04"); // 000A
    expect(head.data).toEqual(fx.authCert.subarray(0, 4));
    expect(t.send("00 B0 00 04 04").data).toEqual(fx.authCert.subarray(4, 8)); // 000A is now current
    expect(t.send("00 B0 97 00 04").sw).toBe(SW.INCOMPATIBLE_FILE);
    expect(t.send("00 B0 98 00 04").sw).toBe(SW.INCOMPATIBLE_FILE);
    expect(t.send("00 B0 9F 00 04").sw).toBe(SW.WRONG_P1P2);
    expect(t.send("00 B0 C1 00 04").sw).toBe(SW.WRONG_P1P2);
    expect(t.send("00 B0 85 00 04").sw).toBe(SW.FILE_NOT_FOUND);
  });

  it("a card without a signature certificate: 0008 = 00 8F 00, 0001/001A/001B absent", () => {
    const card = new MyNumberCard(
      fx.personalisation({
        hasSignatureCert: false,
        signCert: undefined,
        signKey: undefined,
        pins: { auth: "1234", text: "5678" },
      }),
    );
    card.unlockAtCounter();
    const t = new Transcript(card);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 08");
    expect(toHex(t.send("00 B0 00 00 03").raw)).toBe("00 8F 00 90 00");
    for (const fid of ["00 01", "00 1A", "00 1B"])
      expect(t.send(`00 A4 02 0C 02 ${fid}`).sw).toBe(SW.FILE_NOT_FOUND);
    expect(t.send("00 A4 02 0C 02 00 0A").sw).toBe(SW.OK);
    expect(card.triesLeft("sign")).toBeUndefined();
    expect(card.hasSignatureCert).toBe(false);
  });
});

describe("PIN lockout and change (FACTS §1.5)", () => {
  it("auth PIN: 63C2, 63C1, 63C0, then 6984; the tries-left query spends nothing; reset at the counter", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    const answers: string[] = [];
    for (const _ of [1, 2, 3, 4]) answers.push(toHex(t.send("00 20 00 80 04 30 30 30 30").raw));
    expect(answers).toEqual(["63 C2", "63 C1", "63 C0", "69 84"]);
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C0");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C0");
    expect(toHex(t.send("00 20 00 80 04 31 32 33 34").raw)).toBe("69 84"); // even the right PIN
    expect(card.triesLeft("auth")).toBe(0);
    // Still blocked after re-SELECT and power cycle: the counter lives on the card.
    card.reset();
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C0");
    t.send("00 A4 02 0C 02 00 17");
    const di = digestInfoFor("sha256", Uint8Array.of(1));
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).sw).toBe(
      SW.SECURITY_NOT_SATISFIED,
    );
    card.resetPinAtCounter("auth", "4321");
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80 04 34 33 32 31").raw)).toBe("90 00");
  });

  it("signature password: 63C4 … 63C0, 6984; a correct entry before lockout resets the counter", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 1B");
    const wrong = "00 20 00 80 06 57 52 4F 4E 47 31"; // WRONG1
    expect(toHex(t.send(wrong).raw)).toBe("63 C4");
    expect(toHex(t.send(wrong).raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C3");
    const pw = new TextEncoder().encode(FIXTURE_PINS.sign);
    expect(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, pw.length, ...pw)).sw).toBe(SW.OK);
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C5");
    // Lower case is wrong (clients upper-case it) and spends a try.
    const lower = new TextEncoder().encode(FIXTURE_PINS.sign.toLowerCase());
    expect(toHex(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, lower.length, ...lower)).raw)).toBe("63 C4");
    const answers: string[] = [];
    for (const _ of [1, 2, 3, 4, 5]) answers.push(toHex(t.send(wrong).raw));
    expect(answers).toEqual(["63 C3", "63 C2", "63 C1", "63 C0", "69 84"]);
    // A value outside 6–16 characters is refused before comparison and spends nothing.
    card.resetPinAtCounter("sign", "NEWPASS1");
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 1B");
    expect(toHex(t.send("00 20 00 80 05 41 42 43 44 45").raw)).toBe("67 00");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("63 C5");
  });

  it("a failure after a success clears the verified status", () => {
    const t = new Transcript(issuedCard());
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(t.send("00 20 00 80 04 31 32 33 34").sw).toBe(SW.OK);
    expect(t.send("00 20 00 80 04 39 39 39 39").sw).toBe(0x63c2);
    t.send("00 A4 02 0C 02 00 17");
    const di = digestInfoFor("sha256", Uint8Array.of(1));
    expect(t.send(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, di.length, ...di, 0x00)).sw).toBe(
      SW.SECURITY_NOT_SATISFIED,
    );
  });

  it("CHANGE REFERENCE DATA needs a VERIFY first and a value in the PIN format", () => {
    const card = issuedCard();
    const t = new Transcript(card);
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 24 01 80 04 35 35 35 35").raw)).toBe("69 82");
    expect(t.send("00 20 00 80 04 31 32 33 34").sw).toBe(SW.OK);
    expect(toHex(t.send("00 24 01 80 03 35 35 35").raw)).toBe("67 00"); // 3 digits
    expect(toHex(t.send("00 24 01 80 04 35 35 35 41").raw)).toBe("6A 80"); // "555A"
    expect(toHex(t.send("00 24 00 80 04 35 35 35 35").raw)).toBe("6A 86"); // P1 must be 01
    expect(toHex(t.send("00 24 01 80 04 35 35 35 35").raw)).toBe("90 00");
    card.reset();
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 18");
    expect(toHex(t.send("00 20 00 80 04 31 32 33 34").raw)).toBe("63 C2");
    expect(toHex(t.send("00 20 00 80 04 35 35 35 35").raw)).toBe("90 00");
    // Signature password: lower case and too-short values are refused, upper-case alnum accepted.
    t.send("00 A4 02 0C 02 00 1B");
    const pw = new TextEncoder().encode(FIXTURE_PINS.sign);
    expect(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, pw.length, ...pw)).sw).toBe(SW.OK);
    const enc = (s: string) => {
      const b = new TextEncoder().encode(s);
      return Uint8Array.of(0x00, 0x24, 0x01, 0x80, b.length, ...b);
    };
    expect(t.send(enc("abcdef12")).sw).toBe(SW.WRONG_DATA);
    expect(t.send(enc("ABC-DEF12")).sw).toBe(SW.WRONG_DATA);
    expect(t.send(enc("ABC12")).sw).toBe(SW.WRONG_LENGTH);
    expect(t.send(enc("A".repeat(17))).sw).toBe(SW.WRONG_LENGTH);
    expect(t.send(enc("ZZ9PLURALZALPHA")).sw).toBe(SW.OK);
    card.reset();
    t.send(SELECT_JPKI);
    t.send("00 A4 02 0C 02 00 1B");
    const np = new TextEncoder().encode("ZZ9PLURALZALPHA");
    expect(t.send(Uint8Array.of(0x00, 0x20, 0x00, 0x80, np.length, ...np)).sw).toBe(SW.OK);
  });

  it("VERIFY by short EF id (P2 = 98) and against a non-PIN EF", () => {
    const t = new Transcript(issuedCard());
    t.send(SELECT_JPKI);
    expect(toHex(t.send("00 20 00 98").raw)).toBe("63 C3");
    expect(toHex(t.send("00 20 00 9B").raw)).toBe("63 C5");
    t.send("00 A4 02 0C 02 00 0A");
    expect(toHex(t.send("00 20 00 80").raw)).toBe("69 81");
    expect(toHex(t.send("00 20 01 80").raw)).toBe("6A 86");
    expect(toHex(t.send("00 20 00 00").raw)).toBe("6A 86");
    expect(toHex(t.send("00 20 00 80 04").raw)).toBe("67 00"); // case 2: Le where none belongs
  });
});
