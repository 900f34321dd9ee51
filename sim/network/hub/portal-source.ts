/**
 * What the Myna Portal reads from the provision hub (issue 12 items 5 and 6; FACTS §5.5): the
 * person's records, each with its RFC 9162 inclusion proof against the current signed tree head, and
 * consistency proofs between heads. The hub's lmdb store (provision-store.ts) implements it; the
 * portal may build and test against an in-memory adapter over `RecordLog`.
 *
 * The person is named by their institution-specific code at the institution `portal`
 * (情報提供等記録開示システム), which the core derives on every exchange and indexes in the same
 * transaction as the two records; the My Number never leaves the core.
 * @module
 */
import type { InstitutionCode } from "../institution-codes.js";
import type { RecordWithProof } from "../record-log.js";
import type { SignedTreeHead } from "../../portal/tree-head.js";

/** The institution id under which the core derives the person's portal code. */
export const PORTAL_INSTITUTION = "portal";

export interface PortalRecordSource {
  /** Leaf indices of the person's records, ascending; the person is named by their code at `portal`. */
  indicesFor(portalCode: InstitutionCode): readonly number[];
  /** The record at `index` with its inclusion proof against the current signed head. Throws a typed
   *  error (ProofRequestError) for an index out of range; a record removed by retention comes back
   *  with `record: null`, `bytes: null` and its leaf hash only. */
  recordWithProof(index: number): RecordWithProof;
  /** The current signed tree head. */
  head(): SignedTreeHead;
  /** RFC 9162 consistency proof between two sizes (from <= to <= current size). */
  consistency(from: number, to: number): Uint8Array[];
  /** The person's code at `portal`, derived by the core (never the My Number itself leaves the core). */
  portalCodeOf(myNumber: string): InstitutionCode;
}
