/**
 * A provider's intermediate server (中間サーバー; FACTS §5.5): holds the provider's copies (副本) of
 * the data items it may provide, keyed by the provider's own code for the person, and answers an
 * exchange the core has checked with a message signed by the provider's Ed25519 key
 * (exchange-message.ts `encodeAnswer`). In the twin it runs in the hub's process over the store's
 * `copies` db; a real one is the provider's own machine. An item the copy lacks is answered
 * {@link NOT_HELD}.
 *
 * {@link IntermediateServers.prepare} gives the answer's bytes and the provider's key (PKCS #8 DER,
 * exported once per provider) for the service's worker pool to sign (ed25519-batch.ts `sign` job);
 * {@link IntermediateServers.answer} signs here.
 * @module
 */
import { sign, type KeyObject } from "node:crypto";
import type { Database } from "lmdb";
import type { InstitutionCode } from "../institution-codes.js";
import { UnknownInstitutionError } from "../network-errors.js";
import { encodeAnswer, requestHash, type ExchangeRequestFields } from "./exchange-message.js";
import { SEP } from "./hub-env.js";

/** The value answered for an item the provider's copy does not hold. */
export const NOT_HELD = "not-held";

/** A signed answer. */
export interface SignedAnswer {
  readonly items: Readonly<Record<string, string>>;
  readonly bytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** An answer ready to sign: its items, its canonical bytes and the provider's key. */
export interface PreparedAnswer {
  readonly items: Readonly<Record<string, string>>;
  readonly bytes: Uint8Array;
  readonly privateKey: KeyObject;
  /** The provider's private key as PKCS #8 DER (what a pool thread imports). */
  readonly privateKeyDer: Uint8Array;
}

/** The intermediate servers of the providers whose keys the hub holds. */
export class IntermediateServers {
  readonly #der = new Map<string, Uint8Array>();

  constructor(
    private readonly copies: Database<string, string>,
    private readonly keys: ReadonlyMap<string, { readonly privateKey: KeyObject }>,
  ) {}

  /** The provider's signed answer to `request` (the exact request bytes are named by hash). */
  answer(
    request: ExchangeRequestFields,
    requestBytes: Uint8Array,
    providerCode: InstitutionCode,
    providedAt: number,
  ): SignedAnswer {
    const a = this.prepare(request, requestBytes, providerCode, providedAt);
    return { items: a.items, bytes: a.bytes, signature: new Uint8Array(sign(null, a.bytes, a.privateKey)) };
  }

  /** The provider's answer to `request`, not yet signed. */
  prepare(
    request: ExchangeRequestFields,
    requestBytes: Uint8Array,
    providerCode: InstitutionCode,
    providedAt: number,
  ): PreparedAnswer {
    const key = this.keys.get(request.provider);
    if (key === undefined)
      throw new UnknownInstitutionError(
        `provider: no intermediate server for "${request.provider}"`,
        request.provider,
      );
    const items: Record<string, string> = {};
    for (const item of request.dataItems)
      items[item] = this.copies.get(`${request.provider}${SEP}${providerCode}${SEP}${item}`) ?? NOT_HELD;
    const bytes = encodeAnswer({
      exchangeId: request.exchangeId,
      requester: request.requester,
      provider: request.provider,
      requestHash: requestHash(requestBytes),
      items,
      providedAt,
    });
    let der = this.#der.get(request.provider);
    if (der === undefined) {
      der = new Uint8Array(key.privateKey.export({ type: "pkcs8", format: "der" }));
      this.#der.set(request.provider, der);
    }
    return { items, bytes, privateKey: key.privateKey, privateKeyDer: der };
  }
}
