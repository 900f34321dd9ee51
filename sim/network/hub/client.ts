/**
 * The requester's side of the live hub (issue 12 item 4): builds an exchange request, signs its
 * canonical bytes (exchange-message.ts) with the requesting institution's Ed25519 key (node:crypto,
 * RFC 8032), and checks the provider's signed answer. The CLI (`myna-twin network request`), the
 * benchmark and the tests use it; keys are KeyObjects created once by the caller and reused.
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeAnswer,
  encodeRequest,
  ExchangeMessageError,
  requestHash,
  type ExchangeAnswerFields,
  type ExchangeRequestFields,
} from "./exchange-message.js";

/** The JSON body of `POST /v1/network/exchange`. */
export interface SignedExchangeBody {
  /** base64 of the canonical request bytes. */
  readonly message: string;
  /** base64 of the requester's 64-byte Ed25519 signature over those bytes. */
  readonly signature: string;
}

/** A 200 answer of `POST /v1/network/exchange`. */
export interface ExchangeResponse {
  readonly exchangeId: string;
  readonly items: Readonly<Record<string, string>>;
  /** base64 of the provider's Ed25519 signature over `answer`'s bytes. */
  readonly providerSignature: string;
  /** base64 of the provider's canonical answer bytes. */
  readonly answer: string;
  readonly providedAt: number;
  /** Leaf indices of the two sides' records. */
  readonly records: { readonly requester: number; readonly provider: number };
  readonly treeSize: number;
}

/**
 * Builds and signs one request body.
 * @param privateKey the requester's Ed25519 private KeyObject (create once, reuse)
 * @throws ExchangeMessageError when a field is outside its limits
 */
export function signExchangeRequest(
  privateKey: KeyObject,
  fields: ExchangeRequestFields,
): SignedExchangeBody {
  const bytes = encodeRequest(fields);
  return {
    message: Buffer.from(bytes).toString("base64"),
    signature: sign(null, bytes, privateKey).toString("base64"),
  };
}

/**
 * Checks a provider's answer against the request sent: the signature by the provider's public key
 * (raw 32 bytes or a KeyObject), the answer naming this exchange and these exact request bytes, and
 * the items being the answer's. Returns the decoded answer, or a reason string.
 */
export function checkProviderAnswer(
  response: ExchangeResponse,
  sent: SignedExchangeBody,
  providerKey: KeyObject | Uint8Array,
):
  | { readonly ok: true; readonly answer: ExchangeAnswerFields }
  | { readonly ok: false; readonly reason: string } {
  try {
    const key = providerKey instanceof Uint8Array ? ed25519PublicKey(providerKey) : providerKey;
    const bytes = Buffer.from(response.answer, "base64");
    if (!verify(null, bytes, key, Buffer.from(response.providerSignature, "base64")))
      return { ok: false, reason: "provider signature does not verify" };
    const answer = decodeAnswer(bytes);
    if (answer.requestHash !== requestHash(Buffer.from(sent.message, "base64")))
      return { ok: false, reason: "answer is for another request" };
    if (answer.exchangeId !== response.exchangeId)
      return { ok: false, reason: "answer names another exchange" };
    if (JSON.stringify(answer.items) !== JSON.stringify(response.items))
      return { ok: false, reason: "items differ from the signed answer" };
    return { ok: true, answer };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** An Ed25519 public KeyObject from its raw 32 bytes. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError(`Ed25519 public key: expected 32 bytes, got ${raw.length}`);
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") },
    format: "jwk",
  });
}

/** The raw 32 bytes of an Ed25519 public (or private) KeyObject. */
export function ed25519Raw(key: KeyObject): Uint8Array {
  const jwk = (key.type === "private" ? createPublicKey(key) : key).export({ format: "jwk" });
  return new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
}

/** The institution's private key from a hub directory (`institutions/ID.key`, PKCS#8 PEM). */
export function loadInstitutionKey(hubDir: string, institution: string): KeyObject {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(institution))
    throw new ExchangeMessageError(
      `institution: expected 1-64 of [a-z0-9-], got ${JSON.stringify(institution.slice(0, 80))}`,
    );
  return createPrivateKey(readFileSync(join(hubDir, "institutions", `${institution}.key`)));
}
