/**
 * One operation at a time on one core, warm against warm in the same process (DESIGN.md §6, §8):
 * node:crypto (what sim/crypto uses: ours) against the pure-JS libraries doing the same operation on
 * the same key and message — node-forge for RSA-2048 (PKCS#1 v1.5, SHA-256; forge has no ECDSA),
 * @noble/curves for ECDSA P-256/SHA-256, P-384/SHA-384 and Ed25519. tinybench times each side
 * (mean ± RME, samples) with this process's CPU time as its clock — operations per CPU-second, so
 * the other tenants of a shared machine do not skew the ratio. Each pair is cross-checked first: each side verifies the other's signature,
 * and forge's RSA signature must equal node's byte for byte. Results `crypto.single.<kind>.<op>`,
 * ratio = node:crypto over the other library; no target (the libraries are baselines, not goals).
 * @module
 */
import forge from "node-forge";
import type { KeyKind } from "../sim/crypto/index.js";
import {
  generateKeyPairDer,
  importPrivateKey,
  importPublicKey,
  nobleKeyPair,
  nobleSign,
  nobleVerify,
  signWith,
  verifyWith,
} from "../sim/crypto/index.js";
import { benchRsaKey, cryptoSizes, MESSAGE, pkgVersion } from "./_crypto-common.js";
import type { BenchResult, Measurement } from "./_shared.js";
import { log, makeResult, micro, ratePerSecond } from "./_shared.js";

/** The other library's sign and verify for `kind`, checked against node:crypto's. */
function otherLibrary(kind: KeyKind, pair: { pkcs8: Uint8Array; spki: Uint8Array }, nodeSig: Uint8Array) {
  const priv = importPrivateKey(pair.pkcs8);
  const pub = importPublicKey(pair.spki);
  if (kind === "rsa2048") {
    const fkey = forge.pki.privateKeyFromPem(priv.export({ type: "pkcs1", format: "pem" }) as string);
    const fpub = forge.pki.publicKeyFromPem(pub.export({ type: "spki", format: "pem" }) as string);
    const msg = forge.util.binary.raw.encode(MESSAGE);
    const sigStr = forge.util.binary.raw.encode(nodeSig);
    const sign = (): string => {
      const md = forge.md.sha256.create();
      md.update(msg);
      return fkey.sign(md);
    };
    const verify = (): boolean => {
      const md = forge.md.sha256.create();
      md.update(msg);
      return fpub.verify(md.digest().bytes(), sigStr);
    };
    // PKCS#1 v1.5 is deterministic: forge must produce node's exact bytes.
    if (sign() !== sigStr) throw new Error("node-forge and node:crypto RSA signatures differ");
    if (!verify()) throw new Error("node-forge rejects node:crypto's RSA signature");
    return { name: `node-forge ${pkgVersion("node-forge")}`, sign, verify };
  }
  const kp = nobleKeyPair(kind, pair.pkcs8);
  const sign = (): Uint8Array => nobleSign(kind, kp.secretKey, MESSAGE);
  const verify = (): boolean => nobleVerify(kind, kp.publicKey, MESSAGE, nodeSig);
  if (!verify()) throw new Error(`@noble/curves rejects node:crypto's ${kind} signature`);
  if (!verifyWith(kind, pub, MESSAGE, sign()))
    throw new Error(`node:crypto rejects a ${kind} signature by @noble/curves`);
  return { name: `@noble/curves ${pkgVersion("@noble/curves")}`, sign, verify };
}

/** node:crypto against node-forge (RSA) or @noble/curves (ECDSA, Ed25519), one core. */
export const singleThreadMeasurement: Measurement = async (options) => {
  const s = cryptoSizes(options);
  const out: BenchResult[] = [];
  for (const kind of ["rsa2048", "p256", "p384", "ed25519"] as const) {
    const pair = kind === "rsa2048" ? await benchRsaKey() : generateKeyPairDer(kind);
    const priv = importPrivateKey(pair.pkcs8);
    const pub = importPublicKey(pair.spki);
    const nodeSig = signWith(kind, priv, MESSAGE);
    const other = otherLibrary(kind, pair, nodeSig);
    log(`crypto.single.${kind}: node:crypto vs ${other.name}`);
    const budget = { timeMs: s.singleMs, iterations: s.iterations, clock: "cpu" as const };
    const slow = { ...budget, timeMs: kind === "rsa2048" ? 2 * s.singleMs : s.singleMs };
    const nodeSign = await micro(`node:crypto ${kind} sign`, () => signWith(kind, priv, MESSAGE), budget);
    const nodeVerify = await micro(
      `node:crypto ${kind} verify`,
      () => verifyWith(kind, pub, MESSAGE, nodeSig),
      budget,
    );
    const oSign = await micro(`${other.name} ${kind} sign`, other.sign, slow);
    const oVerify = await micro(`${other.name} ${kind} verify`, other.verify, budget);
    for (const [op, ours, theirs] of [
      ["sign", nodeSign, oSign],
      ["verify", nodeVerify, oVerify],
    ] as const)
      out.push(
        makeResult(
          {
            name: `crypto.single.${kind}.${op}`,
            unit: "ops/CPU-s",
            value: ratePerSecond(ours),
            higherIsBetter: true,
            reference: { name: `${other.name}, ±${theirs.rme.toFixed(1)} %`, value: ratePerSecond(theirs) },
            stats: ours,
          },
          options.quick,
        ),
      );
  }
  return out;
};
