/**
 * Typed errors of the information provision network (情報提供ネットワークシステム, FACTS §5.5): one class
 * per refusal, each with a stable code that the live hub (issue 12 item 4) maps to an HTTP status and
 * tests assert on. Messages say where, which field and what was expected.
 * @module
 */
import { InputError, TwinError } from "../../engine/errors.js";

/** The (requester, provider, data item) triple is not in the whitelist (別表第二). */
export class ExchangeRefusedError extends InputError {
  constructor(
    message: string,
    readonly requester: string,
    readonly provider: string,
    readonly dataItem: string,
  ) {
    super(message, "E_NOT_WHITELISTED");
  }
}

/** An institution id that the network does not know. */
export class UnknownInstitutionError extends InputError {
  constructor(
    message: string,
    readonly institution: string,
  ) {
    super(message, "E_UNKNOWN_INSTITUTION");
  }
}

/** An institution-specific code that the core cannot resolve to a person. */
export class CodeNotResolvedError extends InputError {
  constructor(message: string) {
    super(message, "E_CODE_UNRESOLVED");
  }
}

/** A provision record that is malformed or larger than the limit. */
export class RecordFormatError extends InputError {
  constructor(message: string) {
    super(message, "E_RECORD_FORMAT");
  }
}

/** A Merkle proof or tree head request outside the log's bounds (sizes, indices, proof lengths). */
export class ProofRequestError extends InputError {
  constructor(message: string) {
    super(message, "E_PROOF_REQUEST");
  }
}

/** A key or configuration the core was built with is unusable (a programming or setup error). */
export class NetworkSetupError extends TwinError {
  constructor(message: string) {
    super("E_NETWORK_SETUP", message);
  }
}
