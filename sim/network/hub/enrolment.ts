/**
 * Enrolment (`myna-twin network enrol`; issue 12 item 2): the core issues an institution its code
 * for a person (the code-issuing step, done with K_core) and records it in the store's code table;
 * and, so that exchanges have something to answer, every provider institution on the hub from which
 * the enrolling institution's kind may lawfully obtain data items (whitelist-table.ts) gets its copy
 * (副本) of those items for the person, under its own code (which the core records too: the provider
 * holds that code for the person from then on). **The copies' values are synthetic**:
 * derived deterministically from SHA-256(provider ‖ code ‖ item) — amounts in yen, dates, or a
 * yes/no status by the item's name — so the same hub and person always give the same answers.
 * @module
 */
import { createHash } from "node:crypto";
import type { InstitutionCode } from "../institution-codes.js";
import { UnknownInstitutionError } from "../network-errors.js";
import { buildWhitelistRows } from "../whitelist-table.js";
import type { HubCore } from "./hub-core.js";
import { SEP, type HubEnv } from "./hub-env.js";

/** What enrolment did. */
export interface Enrolment {
  readonly institution: string;
  readonly code: InstitutionCode;
  /** Provider copies written (items × providers). */
  readonly copies: number;
}

/** The synthetic value a provider's copy holds for `item` (see the module comment). */
export function syntheticValue(provider: string, code: string, item: string): string {
  const h = createHash("sha256").update(`${provider}${SEP}${code}${SEP}${item}`).digest();
  const n = h.readUInt32BE(0);
  if (/date|start-end/.test(item)) {
    const day = Date.UTC(2015, 0, 1) + (n % 3650) * 86_400_000;
    return new Date(day).toISOString().slice(0, 10);
  }
  if (/income|amount|premium|benefit|rent|tax|salary|pension|allowance|repayment/.test(item))
    return `${(n % 9_000) * 1000 + 100_000} JPY`;
  return n % 2 === 0 ? "yes" : "no";
}

/**
 * Enrols the person with `myNumber` at `institution`; idempotent (the same code and copies again).
 * @throws UnknownInstitutionError, InputError (bad My Number)
 */
export function enrol(core: HubCore, env: HubEnv, institution: string, myNumber: string): Enrolment {
  const inst = core.directory.get(institution);
  if (inst === undefined)
    throw new UnknownInstitutionError(
      `--institution: unknown institution ${JSON.stringify(institution.slice(0, 80))} (see the hub's institutions.json)`,
      institution,
    );
  const linkId = core.linkIdOf(myNumber);
  const code = core.codeAt(institution, linkId);
  const copies = new Map<string, string>();
  const codes = new Map<string, string>([[`${institution}${SEP}${code}`, linkId]]);
  const byKind = new Map<string, string[]>();
  for (const i of core.directory.values()) byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), i.id]);
  for (const row of buildWhitelistRows()) {
    if (row.requester !== inst.kind) continue;
    for (const { provider: kind, items } of row.providers) {
      for (const provider of byKind.get(kind) ?? []) {
        const providerCode = core.codeAt(provider, linkId);
        codes.set(`${provider}${SEP}${providerCode}`, linkId);
        for (const item of items)
          copies.set(
            `${provider}${SEP}${providerCode}${SEP}${item}`,
            syntheticValue(provider, providerCode, item),
          );
      }
    }
  }
  env.env.transactionSync(() => {
    for (const [k, v] of codes) void env.codes.putSync(k, v);
    for (const [k, v] of copies) void env.copies.putSync(k, v);
  });
  return { institution, code, copies: copies.size };
}
