/**
 * The network core of the live hub (情報提供ネットワークシステム's コアシステム; FACTS §5.5, issue 12
 * items 2-4): K_core, the code service (institution-codes.ts `CodeCore`), the whitelist and the
 * exchange step (exchange-core.ts), plus the one place a My Number enters: enrolment turns it into
 * the person's internal link id (連携用符号) by a keyed one-way function,
 *
 *     linkId = hex(HMAC-SHA-256(K_core, "myna-twin/link-id/v1" ‖ myNumber))[0..32]
 *
 * and from then on only codes travel. The code table lives in the store (`codes` db), so a code
 * issued by `network enrol` while `serve --hub` runs resolves at once.
 * @module
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { InputError } from "../../../engine/errors.js";
import { isValidMyNumber } from "../../numbers/my-number.js";
import { ExchangeCore } from "../exchange-core.js";
import { CodeCore, type InstitutionCode } from "../institution-codes.js";
import type { InstitutionDirectory } from "../institutions.js";
import type { NetworkLogger } from "../network-logger.js";
import { CodeNotResolvedError } from "../network-errors.js";
import { Whitelist } from "../whitelist.js";
import { buildWhitelistRows } from "../whitelist-table.js";
import { SEP, type HubEnv } from "./hub-env.js";
import { PORTAL_INSTITUTION } from "./portal-source.js";

const LINK_DOMAIN = Buffer.from("myna-twin/link-id/v1", "utf8");

/** The core: codes, whitelist, exchange step, over the store's code table. */
export class HubCore {
  readonly codes: CodeCore;
  readonly whitelist: Whitelist;
  readonly exchange: ExchangeCore;
  readonly #linkKey: KeyObject;

  constructor(
    coreKey: Uint8Array,
    readonly directory: InstitutionDirectory,
    private readonly db: Pick<HubEnv, "codes">,
    private readonly logger: NetworkLogger,
  ) {
    this.#linkKey = createSecretKey(Buffer.from(coreKey));
    this.codes = new CodeCore(coreKey, [...[...directory.values()].map((i) => i.id), PORTAL_INSTITUTION]);
    this.whitelist = new Whitelist(buildWhitelistRows(), directory);
    this.exchange = new ExchangeCore(this.codes, this.whitelist, logger);
  }

  /** The person's link id. @throws InputError when `myNumber` is not a valid individual number */
  linkIdOf(myNumber: string): string {
    if (typeof myNumber !== "string" || !isValidMyNumber(myNumber))
      throw new InputError(
        "my number: expected 12 digits whose last is the check digit of the first 11",
        "E_MY_NUMBER",
      );
    return createHmac("sha256", this.#linkKey)
      .update(LINK_DOMAIN)
      .update(myNumber)
      .digest("hex")
      .slice(0, 32);
  }

  /** The person's code at `institution` (issued into the in-memory table; persist with {@link enrol}). */
  codeAt(institution: string, linkId: string): InstitutionCode {
    return this.codes.issueCode(institution, linkId);
  }

  /** The person's code at the portal. */
  portalCodeOf(myNumber: string): InstitutionCode {
    return this.codes.issueCode(PORTAL_INSTITUTION, this.linkIdOf(myNumber));
  }

  /**
   * The link id behind `code` at `institution`, read from the store's code table and loaded into
   * the in-memory code service; undefined when the code was never issued there.
   */
  resolve(institution: string, code: string): string | undefined {
    if (!/^[0-9a-f]{64}$/.test(code) || !this.codes.hasInstitution(institution)) return undefined;
    const linkId = this.db.codes.get(`${institution}${SEP}${code}`);
    if (linkId !== undefined) this.codes.issueCode(institution, linkId);
    return linkId;
  }

  /**
   * The link id behind the requester's code, or — after checking every item against the whitelist
   * (so an unlawful request is refused as such first) — a {@link CodeNotResolvedError}.
   */
  requireLinkId(req: {
    readonly requester: string;
    readonly provider: string;
    readonly requesterCode: string;
    readonly procedure: string;
    readonly dataItems: readonly string[];
  }): string {
    const linkId = this.resolve(req.requester, req.requesterCode);
    if (linkId !== undefined) return linkId;
    for (const dataItem of req.dataItems)
      this.whitelist.check(
        { requester: req.requester, provider: req.provider, dataItem, procedure: req.procedure },
        this.logger,
      );
    const e = new CodeNotResolvedError(`requesterCode: not issued to institution "${req.requester}"`);
    this.logger.warn("exchange refused", { code: e.code, requester: req.requester, provider: req.provider });
    throw e;
  }
}
