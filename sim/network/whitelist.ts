/**
 * The whitelist of lawful exchanges (My Number Act 別表第二 and, since 2023, its ordinances; FACTS
 * §5.5): a request (requester institution, provider institution, data item[, procedure]) passes only
 * when the requester's kind may obtain that item from the provider's kind — for the named procedure
 * when one is given. Lookups are O(1) (hash sets keyed by the triple). Every refusal throws
 * {@link ExchangeRefusedError} (or UnknownInstitutionError) and is logged through the logger the
 * caller passes in; nothing else changes.
 * @module
 */
import { ExchangeRefusedError, UnknownInstitutionError } from "./network-errors.js";
import type { InstitutionDirectory } from "./institutions.js";
import type { NetworkLogger } from "./network-logger.js";
import type { WhitelistRow } from "./whitelist-table.js";

/** One exchange request as the core sees it (no person data: codes travel separately). */
export interface ExchangeRequest {
  readonly requester: string;
  readonly provider: string;
  readonly dataItem: string;
  /** The procedure (事務) the request is made for, e.g. "nhi/premium-assessment"; optional. */
  readonly procedure?: string;
}

/** A passed check: the table rows that allow it. */
export interface ExchangeAllowed {
  readonly rowIds: readonly string[];
}

const SEP = "\u0000";

/** The whitelist index over a table of rows and a directory of institutions. */
export class Whitelist {
  readonly #triples = new Map<string, string[]>();
  readonly #withProcedure = new Set<string>();
  readonly #items = new Set<string>();
  readonly rowCount: number;

  constructor(
    rows: readonly WhitelistRow[],
    private readonly directory: InstitutionDirectory,
  ) {
    this.rowCount = rows.length;
    for (const row of rows) {
      for (const { provider, items } of row.providers) {
        for (const item of items) {
          const key = `${row.requester}${SEP}${provider}${SEP}${item}`;
          const ids = this.#triples.get(key);
          if (ids === undefined) this.#triples.set(key, [row.id]);
          else if (!ids.includes(row.id)) ids.push(row.id);
          this.#withProcedure.add(`${key}${SEP}${row.procedure}`);
          this.#items.add(item);
        }
      }
    }
  }

  /** Distinct (requester kind, provider kind, data item) triples. */
  get tripleCount(): number {
    return this.#triples.size;
  }

  /** Distinct data items. */
  get itemCount(): number {
    return this.#items.size;
  }

  /** True when the kinds' triple is lawful (no logging; for enumeration and tests). */
  allowsKinds(requesterKind: string, providerKind: string, dataItem: string, procedure?: string): boolean {
    const key = `${requesterKind}${SEP}${providerKind}${SEP}${dataItem}`;
    return procedure === undefined
      ? this.#triples.has(key)
      : this.#withProcedure.has(`${key}${SEP}${procedure}`);
  }

  /**
   * Checks one request. Returns the rows that allow it, or logs a warning (`exchange refused`, with
   * requester, provider, item, procedure and the reason code) and throws.
   */
  check(req: ExchangeRequest, logger: NetworkLogger): ExchangeAllowed {
    const refuse = (err: Error & { code: string }): never => {
      logger.warn("exchange refused", {
        code: err.code,
        requester: req.requester,
        provider: req.provider,
        dataItem: req.dataItem,
        procedure: req.procedure ?? null,
      });
      throw err;
    };
    const r = this.directory.get(req.requester);
    if (r === undefined) {
      return refuse(
        new UnknownInstitutionError(`requester: unknown institution "${req.requester}"`, req.requester),
      );
    }
    const p = this.directory.get(req.provider);
    if (p === undefined) {
      return refuse(
        new UnknownInstitutionError(`provider: unknown institution "${req.provider}"`, req.provider),
      );
    }
    const key = `${r.kind}${SEP}${p.kind}${SEP}${req.dataItem}`;
    const rows = this.#triples.get(key);
    const lawful =
      rows !== undefined &&
      (req.procedure === undefined || this.#withProcedure.has(`${key}${SEP}${req.procedure}`));
    if (!lawful) {
      const what = req.procedure === undefined ? "" : ` for procedure "${req.procedure}"`;
      return refuse(
        new ExchangeRefusedError(
          `exchange not in the whitelist: ${r.kind} "${req.requester}" may not obtain "${req.dataItem}" from ${p.kind} "${req.provider}"${what}`,
          req.requester,
          req.provider,
          req.dataItem,
        ),
      );
    }
    return { rowIds: rows };
  }
}
