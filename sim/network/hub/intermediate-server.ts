/**
 * A provider's intermediate server (中間サーバー; FACTS §5.5): holds the provider's copies (副本) of
 * the data items it may provide, keyed by the provider's own code for the person, and answers an
 * exchange the core has checked with a message signed by the provider's Ed25519 key
 * (exchange-message.ts `encodeAnswer`). In the twin it runs in the hub's process over the store's
 * `copies` db; a real one is the provider's own machine. An item the copy lacks is answered
 * {@link NOT_HELD}.
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

/** The intermediate servers of the providers whose keys the hub holds. */
export class IntermediateServers {
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
    return { items, bytes, signature: new Uint8Array(sign(null, bytes, key.privateKey)) };
  }
}
