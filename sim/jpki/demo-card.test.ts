/**
 * sim/jpki demo residents and demo cards: determinism and check digits of the residents, the
 * personalisation rules (signature certificate only from age 15, issuance lock), certificates that
 * chain to the demo roots, and PEM armour that OpenSSL reads.
 */
import { X509Certificate, createHash, createPublicKey, verify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import {
  DIGEST_INFO_PREFIX,
  computeSignatureCommand,
  fromHex,
  loadCard,
  parseResponse,
  readBinaryCommand,
  saveCard,
  selectAidCommand,
  selectEfCommand,
  verifyCommand,
  JPKI_AID,
  JPKI_EF,
} from "../card/index.js";
import type { MyNumberCard } from "../card/index.js";
import { parseCertificate, readJpkiSan } from "../pki/index.js";
import { ageOn, createDemoRoots, generatePins, issueDemoCard } from "./demo-card.js";
import type { DemoRoots } from "./demo-card.js";
import { pemOf } from "../pki/pem.js";
import { isValidMyNumber } from "../numbers/my-number.js";
import { birthDateProblem, demoResident, prefectureOf } from "./resident.js";

const NOW = Date.UTC(2026, 10, 24, 3, 0, 0);

describe("demo residents", () => {
  it("are deterministic in (seed, index) and differ across them", () => {
    expect(demoResident(7)).toEqual(demoResident(7, 0));
    expect(demoResident(7)).toEqual(demoResident(7));
    expect(demoResident(7, 1)).not.toEqual(demoResident(7, 0));
    expect(demoResident(8)).not.toEqual(demoResident(7));
  });

  it("carry a valid individual number, a full-width address and an adult birth date", () => {
    for (let i = 0; i < 200; i++) {
      const r = demoResident(3, i);
      expect(isValidMyNumber(r.myNumber), r.myNumber).toBe(true);
      expect(r.name).toMatch(/^\S+\u3000\S+$/u);
      expect(r.address).toMatch(/[０-９]+丁目[０-９]+番[０-９]+号$/u);
      expect(prefectureOf(r.address)).toBe(r.prefecture);
      expect(r.birthDate >= "1940-01-01" && r.birthDate <= "2004-12-31").toBe(true);
      expect(["1", "2"]).toContain(r.sex);
    }
  });

  it("age on a JST date; generated PINs have the JPKI formats", () => {
    expect(ageOn("2011-11-25", NOW)).toBe(14);
    expect(ageOn("2011-11-24", NOW)).toBe(15);
    const p = generatePins(true);
    expect(p.auth).toMatch(/^\d{4}$/);
    expect(p.text).toMatch(/^\d{4}$/);
    expect(p.sign).toMatch(/^[A-Z0-9]{8}$/);
    expect(generatePins(false).sign).toBeUndefined();
  });

  it("PEM armour is what node:crypto and OpenSSL read", () => {
    const der = new Uint8Array(200).map((_, i) => i);
    const pem = pemOf("CERTIFICATE", der);
    expect(pem.split("\n")[1]).toHaveLength(64);
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s/g, "");
    expect(Buffer.from(body, "base64")).toEqual(Buffer.from(der));
  });
});

function send(card: MyNumberCard, hex: string | Uint8Array): { data: Uint8Array; sw: number } {
  return parseResponse(card.transmit(typeof hex === "string" ? fromHex(hex) : hex));
}

describe("demo cards", () => {
  let roots: DemoRoots;
  beforeAll(async () => {
    roots = await createDemoRoots("rsa2048", NOW);
  });

  it("an adult's card: both certificates chain to the demo roots; the card authenticates", async () => {
    const resident = demoResident(7);
    const demo = await issueDemoCard({
      resident,
      pins: { auth: "1234", text: "5678", sign: "MYNA2026" },
      issuedAt: NOW,
      roots,
    });
    expect(demo.card.locked).toBe(false);
    expect(demo.card.hasSignatureCert).toBe(true);
    const auth = new X509Certificate(demo.authCert);
    expect(auth.verify(new X509Certificate(roots.auth.der).publicKey)).toBe(true);
    const sign = parseCertificate(demo.signCert!);
    expect(readJpkiSan(sign)).toMatchObject({
      name: resident.name,
      address: resident.address,
      sex: resident.sex,
    });
    expect(new X509Certificate(demo.signCert!).verify(new X509Certificate(roots.sign.der).publicKey)).toBe(
      true,
    );

    const card = demo.card;
    expect(send(card, selectAidCommand(JPKI_AID)).sw).toBe(0x9000);
    expect(send(card, selectEfCommand(JPKI_EF.AUTH_CERT)).sw).toBe(0x9000);
    const head = send(card, readBinaryCommand(0, 4));
    expect(head.sw).toBe(0x9000);
    const total = ((head.data[2]! << 8) | head.data[3]!) + 4;
    expect(total).toBe(demo.authCert.length);
    send(card, selectEfCommand(JPKI_EF.AUTH_PIN));
    expect(send(card, verifyCommand("1234")).sw).toBe(0x9000);
    send(card, selectEfCommand(JPKI_EF.AUTH_KEY));
    const challenge = new TextEncoder().encode("challenge");
    const hash = createHash("sha256").update(challenge).digest();
    const di = Uint8Array.from([...DIGEST_INFO_PREFIX.sha256, ...hash]);
    const sig = send(card, computeSignatureCommand(di));
    expect(sig.sw).toBe(0x9000);
    expect(
      verify(
        "sha256",
        challenge,
        createPublicKey(auth.publicKey.export({ type: "spki", format: "pem" })),
        sig.data,
      ),
    ).toBe(true);

    // the card survives a save/load round trip with its counters
    send(card, selectEfCommand(JPKI_EF.AUTH_PIN));
    expect(send(card, verifyCommand("0000")).sw).toBe(0x63c2);
    const again = loadCard(saveCard(card, "pw", { N: 1 << 10, r: 8, p: 1 }), "pw");
    expect(again.triesLeft("auth")).toBe(2);
  });

  it("a child under 15 gets no signature certificate; a locked card answers 6985", async () => {
    const child = { ...demoResident(7), birthDate: "2015-04-01" };
    await expect(
      issueDemoCard({
        resident: child,
        pins: { auth: "1234", text: "5678", sign: "MYNA2026" },
        issuedAt: NOW,
        roots,
      }),
    ).rejects.toThrow(/under 15/);
    const demo = await issueDemoCard({
      resident: child,
      pins: { auth: "1234", text: "5678" },
      issuedAt: NOW,
      roots,
      locked: true,
    });
    expect(demo.signCert).toBeUndefined();
    expect(demo.card.hasSignatureCert).toBe(false);
    expect(demo.card.locked).toBe(true);
    send(demo.card, selectAidCommand(JPKI_AID));
    send(demo.card, selectEfCommand(JPKI_EF.AUTH_PIN));
    expect(send(demo.card, verifyCommand()).sw).toBe(0x6985);
    await expect(
      issueDemoCard({
        resident: demoResident(7),
        pins: { auth: "1234", text: "5678" },
        issuedAt: NOW,
        roots,
      }),
    ).rejects.toThrow(/signature password is needed/);
  });
});

describe("birth dates (issue 7: 1990-02-30 was signed into a certificate)", () => {
  it("accepts only real calendar dates from 1900-01-01 to the issuance day", () => {
    expect(birthDateProblem("1990-02-28", NOW)).toBeUndefined();
    expect(birthDateProblem("2000-02-29", NOW)).toBeUndefined(); // leap year
    expect(birthDateProblem("1900-01-01", NOW)).toBeUndefined();
    expect(birthDateProblem("2026-11-24", NOW)).toBeUndefined(); // born on the issuance day (JST)
    expect(birthDateProblem("1990-02-30", NOW)).toBe("not a calendar date");
    expect(birthDateProblem("2023-02-29", NOW)).toBe("not a calendar date");
    expect(birthDateProblem("1990-04-31", NOW)).toBe("not a calendar date");
    expect(birthDateProblem("1990-00-10", NOW)).toBe("not a calendar date");
    expect(birthDateProblem("1899-12-31", NOW)).toBe("before 1900-01-01");
    expect(birthDateProblem("2026-11-25", NOW)).toMatch(/^after the issuance date 2026-11-24/);
    expect(birthDateProblem("1990-2-3", NOW)).toBe("expected YYYY-MM-DD");
    expect(birthDateProblem("１９９０-02-03", NOW)).toBe("expected YYYY-MM-DD");
    for (let i = 0; i < 50; i++) expect(birthDateProblem(demoResident(i).birthDate, NOW)).toBeUndefined();
  });

  it("issueDemoCard refuses 1990-02-30 before generating a key or signing anything", async () => {
    const resident = { ...demoResident(1), birthDate: "1990-02-30" };
    const err = await issueDemoCard({
      resident,
      pins: { auth: "1234", text: "5678", sign: "ABC123" },
      issuedAt: NOW,
      // no roots given: a new pair would be generated if validation came after
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe("E_JPKI_INPUT");
    expect((err as Error).message).toBe('birth date "1990-02-30": not a calendar date');
  });
});
