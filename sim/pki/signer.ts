/**
 * Signature algorithms and the crypto-provider seam (RFC 5280 §4.1.1.2; RFC 4055 §5 for
 * sha*WithRSAEncryption with NULL parameters; RFC 5758 §3.2 for ecdsa-with-SHA* with absent
 * parameters). A {@link Signer} signs TBS bytes; a {@link SignatureVerifier} checks them. Both are
 * passed in explicitly — there is no global registry — and the node:crypto implementations here are
 * the defaults (FACTS.md §1.1: RSA-2048 + SHA-256 today; §1.6: ECDSA P-384 + SHA-384 next).
 * @module
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { DerReader } from "./der-reader.js";
import { toHex } from "./der-reader.js";
import type { DerWriter } from "./der-writer.js";
import { Tag } from "./der-writer.js";
import { PkiError } from "./errors.js";
import { OID } from "./oids.js";

/** Signature algorithms the twin writes and verifies. */
export type SignatureAlgorithm =
  | "sha256WithRSAEncryption"
  | "sha384WithRSAEncryption"
  | "sha512WithRSAEncryption"
  | "ecdsaWithSHA256"
  | "ecdsaWithSHA384"
  | "ecdsaWithSHA512";

interface AlgInfo {
  readonly oid: string;
  readonly hash: string;
  readonly rsa: boolean;
}

const ALGS: Readonly<Record<SignatureAlgorithm, AlgInfo>> = {
  sha256WithRSAEncryption: { oid: OID.sha256WithRSAEncryption, hash: "sha256", rsa: true },
  sha384WithRSAEncryption: { oid: OID.sha384WithRSAEncryption, hash: "sha384", rsa: true },
  sha512WithRSAEncryption: { oid: OID.sha512WithRSAEncryption, hash: "sha512", rsa: true },
  ecdsaWithSHA256: { oid: OID.ecdsaWithSHA256, hash: "sha256", rsa: false },
  ecdsaWithSHA384: { oid: OID.ecdsaWithSHA384, hash: "sha384", rsa: false },
  ecdsaWithSHA512: { oid: OID.ecdsaWithSHA512, hash: "sha512", rsa: false },
};

const BY_OID = new Map<string, SignatureAlgorithm>(
  (Object.keys(ALGS) as SignatureAlgorithm[]).map((a) => [ALGS[a].oid, a]),
);

/** Signs to-be-signed bytes. `spki` is the signer's SubjectPublicKeyInfo DER. */
export interface Signer {
  /** Algorithm written into `signature`/`signatureAlgorithm`. */
  readonly algorithm: SignatureAlgorithm;
  /** DER SubjectPublicKeyInfo of the matching public key. */
  readonly spki: Uint8Array;
  /** Signature value (PKCS#1 v1.5 block for RSA, DER Ecdsa-Sig-Value for ECDSA). */
  sign(tbs: Uint8Array): Uint8Array;
}

/** Verifies a signature over `data` with the key in `spki`. Returns false (never throws) on mismatch. */
export interface SignatureVerifier {
  verify(algorithm: SignatureAlgorithm, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
}

/** OID of a signature algorithm. */
export function signatureAlgorithmOid(alg: SignatureAlgorithm): string {
  return ALGS[alg].oid;
}

/** Signature algorithm for an OID, or undefined if the twin does not support it. */
export function signatureAlgorithmFromOid(oid: string): SignatureAlgorithm | undefined {
  return BY_OID.get(oid);
}

/** Write an AlgorithmIdentifier: RSA with NULL parameters (RFC 4055), ECDSA with none (RFC 5758). */
export function writeAlgorithmIdentifier(w: DerWriter, alg: SignatureAlgorithm): void {
  const info = ALGS[alg];
  w.begin(Tag.SEQUENCE);
  w.oid(info.oid);
  if (info.rsa) w.null();
  w.end();
}

/**
 * Read the AlgorithmIdentifier TLV at `pos`: returns its OID and end offset. At most one parameters
 * field is accepted (NULL for RSA, absent for ECDSA, per RFC 4055 / RFC 5758).
 */
export function readAlgorithmIdentifier(
  r: DerReader,
  pos: number,
  limit: number,
  what: string,
): { oid: string; end: number } {
  const end = r.expect(pos, limit, Tag.SEQUENCE, what);
  const oEnd = r.expect(r.valueStart, end, Tag.OID, `${what}.algorithm`);
  const oid = r.oid(`${what}.algorithm`);
  const pEnd = oEnd < end ? r.read(oEnd, end, `${what}.parameters`) : oEnd;
  r.done(pEnd, end, what);
  return { oid, end };
}

/** Signer over a node:crypto private key. The algorithm defaults from the key type (RSA → SHA-256, P-384 → SHA-384). */
export function nodeSigner(privateKey: KeyObject, algorithm?: SignatureAlgorithm): Signer {
  if (privateKey.type !== "private") throw new PkiError("E_PKI_INPUT", "nodeSigner needs a private key");
  const key = privateKey;
  const spki = new Uint8Array(createPublicKey(key).export({ type: "spki", format: "der" }));
  const alg = algorithm ?? defaultAlgorithm(key);
  const info = ALGS[alg];
  const kt = key.asymmetricKeyType;
  if (info.rsa !== (kt === "rsa"))
    throw new PkiError("E_PKI_UNSUPPORTED_ALGORITHM", `${alg} does not fit a ${kt} key`);
  return {
    algorithm: alg,
    spki,
    sign: (tbs) => new Uint8Array(sign(info.hash, tbs, key)),
  };
}

function defaultAlgorithm(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === "rsa") return "sha256WithRSAEncryption";
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "secp384r1") return "ecdsaWithSHA384";
    if (curve === "prime256v1") return "ecdsaWithSHA256";
    if (curve === "secp521r1") return "ecdsaWithSHA512";
  }
  throw new PkiError(
    "E_PKI_UNSUPPORTED_ALGORITHM",
    `no default signature algorithm for ${key.asymmetricKeyType} key`,
  );
}

/** Key kinds the profiles use: RSA-2048 (current card) and ECDSA P-384 (next-generation card). */
export type KeyKind = "rsa2048" | "p384" | "p256";

/** A generated key pair with its {@link Signer}. RSA-2048 keygen costs ≈160 ms: generate once, reuse. */
export interface GeneratedKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly signer: Signer;
}

/** Generate a key pair with node:crypto (public exponent 65537 for RSA, FACTS §1.1). */
export function generateKey(kind: KeyKind): GeneratedKey {
  const { privateKey, publicKey } =
    kind === "rsa2048"
      ? generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 })
      : generateKeyPairSync("ec", { namedCurve: kind === "p384" ? "secp384r1" : "prime256v1" });
  return { privateKey, publicKey, signer: nodeSigner(privateKey) };
}

/** node:crypto verifier with a small cache of imported public keys (verification is the hot path). */
export function nodeVerifier(cacheSize = 64): SignatureVerifier {
  const keys = new Map<string, KeyObject>();
  return {
    verify(algorithm, spki, data, signature) {
      const info = ALGS[algorithm];
      const id = toHex(spki);
      let key = keys.get(id);
      if (!key) {
        try {
          key = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
        } catch {
          return false;
        }
        if (keys.size >= cacheSize) keys.delete(keys.keys().next().value as string);
        keys.set(id, key);
      }
      if (info.rsa !== (key.asymmetricKeyType === "rsa")) return false;
      try {
        return verify(info.hash, data, key, signature);
      } catch {
        return false;
      }
    },
  };
}

/** Shared default verifier instance. */
export const defaultVerifier: SignatureVerifier = nodeVerifier();
