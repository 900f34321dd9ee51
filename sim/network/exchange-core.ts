/**
 * One exchange through the network core (FACTS §5.5; issue 12 items 2, 3, 5): the requester names the
 * person by its own institution-specific code; the core checks every requested data item against the
 * whitelist, maps the code to the provider's code, and yields the two provision records (requester's
 * and provider's, each with its own code for the person; My Number Act art. 23) for the sides' logs.
 * The My Number never appears. A refusal (whitelist, unknown institution, unresolved code, malformed
 * record) is typed, logged once, and changes nothing: checks run before any code is issued.
 * Pure and synchronous; the live hub (item 4) adds signed messages, transport and durable storage.
 * @module
 */
import type { CodeCore, InstitutionCode } from "./institution-codes.js";
import type { NetworkLogger } from "./network-logger.js";
import { validateRecord, type ProvisionRecord } from "./provision-record.js";
import type { Whitelist } from "./whitelist.js";

/** What a requester sends (already authenticated by the transport). */
export interface ExchangeInput {
  readonly exchangeId: string;
  readonly requester: string;
  readonly provider: string;
  /** The requester's code for the person. */
  readonly requesterCode: InstitutionCode;
  readonly procedure: string;
  readonly dataItems: readonly string[];
  readonly requestedAt: number;
  readonly providedAt: number;
}

/** The result: the provider's code to look the copy (副本) up by, and both sides' records. */
export interface ExchangeOutcome {
  readonly providerCode: InstitutionCode;
  readonly requesterRecord: ProvisionRecord;
  readonly providerRecord: ProvisionRecord;
  readonly rowIds: readonly string[];
}

/** The core's exchange step over a code service and a whitelist. */
export class ExchangeCore {
  constructor(
    private readonly codes: CodeCore,
    private readonly whitelist: Whitelist,
    private readonly logger: NetworkLogger,
  ) {}

  exchange(input: ExchangeInput): ExchangeOutcome {
    const refuse = (e: unknown): never => {
      const code = (e as { code?: unknown }).code;
      this.logger.warn("exchange refused", {
        code: typeof code === "string" ? code : "E_INTERNAL",
        requester: input.requester,
        provider: input.provider,
        procedure: input.procedure,
        exchangeId: input.exchangeId,
      });
      throw e;
    };
    let requesterRecord: ProvisionRecord;
    try {
      // the record's shape first (sizes, times, items), with the requester's code
      requesterRecord = validateRecord({
        exchangeId: input.exchangeId,
        side: "requester",
        requester: input.requester,
        provider: input.provider,
        personCode: input.requesterCode,
        procedure: input.procedure,
        dataItems: input.dataItems,
        requestedAt: input.requestedAt,
        providedAt: input.providedAt,
      });
    } catch (e) {
      return refuse(e);
    }
    // every item against the whitelist (which logs its own refusals) before any code is touched
    const rowIds = new Set<string>();
    for (const dataItem of requesterRecord.dataItems) {
      const ok = this.whitelist.check(
        { requester: input.requester, provider: input.provider, dataItem, procedure: input.procedure },
        this.logger,
      );
      for (const id of ok.rowIds) rowIds.add(id);
    }
    let providerCode: InstitutionCode;
    try {
      providerCode = this.codes.mapCode(input.requester, input.requesterCode, input.provider);
    } catch (e) {
      return refuse(e);
    }
    const providerRecord = validateRecord({ ...requesterRecord, side: "provider", personCode: providerCode });
    return { providerCode, requesterRecord, providerRecord, rowIds: [...rowIds] };
  }
}
