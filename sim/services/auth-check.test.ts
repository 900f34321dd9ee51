/**
 * The relying party's key import (auth-check.ts `rsaPublicKeyOf`): the JWK route gives the same key
 * as node's SPKI import, refuses non-RSA keys, and never throws on truncated or mutated SPKI bytes.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { importPublicKey } from "../crypto/algorithms.js";
import { rsaPublicKeyOf } from "./auth-check.js";

const spkiOf = (k: ReturnType<typeof generateKeyPairSync>["publicKey"]) =>
  new Uint8Array(k.export({ format: "der", type: "spki" }));

describe("rsaPublicKeyOf", () => {
  const rsa = [2048, 1024].map((bits) =>
    spkiOf(generateKeyPairSync("rsa", { modulusLength: bits }).publicKey),
  );

  it("is the key node's SPKI import gives", () => {
    for (const spki of rsa) {
      const ours = rsaPublicKeyOf(spki);
      expect(ours).toBeDefined();
      expect(ours!.export({ format: "jwk" })).toEqual(importPublicKey(spki).export({ format: "jwk" }));
    }
  });

  it("refuses EC and Ed25519 keys", () => {
    expect(
      rsaPublicKeyOf(spkiOf(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey)),
    ).toBeUndefined();
    expect(rsaPublicKeyOf(spkiOf(generateKeyPairSync("ed25519").publicKey))).toBeUndefined();
  });

  it("2,000 truncated or mutated SPKIs (mulberry32 seed 7): undefined or a key, never a throw", () => {
    const rnd = mulberry32(7);
    const base = rsa[0]!;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from(base.subarray(0, i % 2 === 0 ? randomInt(rnd, base.length) : base.length));
      for (let m = randomInt(rnd, 4); m > 0 && b.length > 0; m--)
        b[randomInt(rnd, b.length)] = randomInt(rnd, 256);
      if (rsaPublicKeyOf(b) === undefined) refused++;
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
