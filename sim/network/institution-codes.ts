/**
 * Institution-specific codes (機関別符号, legally 情報提供用個人識別符号; FACTS §5.5, My Number Act
 * art. 2 (14) and art. 21). The real chain is 住民票コード → 連携用符号 (link code, held by the core) →
 * 機関別符号 (one per institution). Here the core derives each institution's code for a person as
 *
 *     code = HMAC-SHA-256(K_core, "myna-twin/institution-code/v1" ‖ u16 len(inst) ‖ inst ‖ u16 len(link) ‖ link)
 *
 * where `inst` is the institution id (UTF-8) and `link` the person's internal link id (never the My
 * Number — the core never sees it here). Properties, by construction:
 *
 * - **One-way for institutions.** An institution holds only its own codes. HMAC-SHA-256 is a PRF under
 *   K_core (RFC 2104, Bellare 2006): without K_core the output is indistinguishable from random, so
 *   neither the link id nor any other institution's code can be computed from it; inverting it is
 *   at least as hard as inverting SHA-256 over a 256-bit secret key.
 * - **Unlinkable across institutions.** The codes of one person at institutions A and B are PRF
 *   outputs at two distinct inputs (the length-prefixed encoding is injective, so distinct (inst,
 *   link) pairs never collide as inputs): without K_core they look like independent random strings,
 *   so A and B cannot join their data on them. Only the core, which keeps the code table, maps
 *   one to the other, and only for an exchange the whitelist allows (see whitelist.ts).
 * - **Unique per (institution, person).** Distinct inputs collide with probability ≈ n²/2²⁵⁷; the core
 *   still checks and refuses a collision rather than mis-mapping.
 *
 * The key is a node:crypto secret KeyObject that stays inside {@link CodeCore}; nothing exports it.
 * @module
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { CodeNotResolvedError, NetworkSetupError, UnknownInstitutionError } from "./network-errors.js";

const DOMAIN = Buffer.from("myna-twin/institution-code/v1", "utf8");
/** Longest institution id or link id accepted (bytes). */
export const MAX_ID_BYTES = 256;
/** Bytes of a code (full HMAC-SHA-256 output). */
export const CODE_BYTES = 32;

/** An institution-specific code: 64 lowercase hex digits. */
export type InstitutionCode = string;

function lengthPrefixed(value: string, what: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length === 0 || bytes.length > MAX_ID_BYTES) {
    const message = `${what}: expected 1..${MAX_ID_BYTES} UTF-8 bytes, got ${bytes.length}`;
    if (what === "institution id") throw new UnknownInstitutionError(message, value.slice(0, 80));
    throw new CodeNotResolvedError(message);
  }
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bytes.length, 0);
  return Buffer.concat([head, bytes]);
}

/**
 * Derives one code; exported for the core and for tests that show what a wrong key yields. Callers
 * outside the core have no K_core, which is the point.
 */
export function deriveInstitutionCode(
  key: KeyObject,
  institutionId: string,
  linkId: string,
): InstitutionCode {
  const mac = createHmac("sha256", key);
  mac.update(DOMAIN);
  mac.update(lengthPrefixed(institutionId, "institution id"));
  mac.update(lengthPrefixed(linkId, "link id"));
  return mac.digest("hex");
}

/**
 * The network core's code service: holds K_core, issues codes to registered institutions, and maps
 * a requester's code to the provider's code. The table maps `inst \0 code` → link id, so a lookup is
 * O(1) and a code presented by the wrong institution does not resolve.
 */
export class CodeCore {
  readonly #key: KeyObject;
  readonly #institutions = new Set<string>();
  readonly #table = new Map<string, string>();

  /** @param key 32 or more secret bytes (e.g. crypto.randomBytes(32)); copied into a KeyObject. */
  constructor(key: Uint8Array, institutions: Iterable<string> = []) {
    if (key.length < 32)
      throw new NetworkSetupError(`core key: expected at least 32 bytes, got ${key.length}`);
    this.#key = createSecretKey(Buffer.from(key));
    for (const inst of institutions) this.addInstitution(inst);
  }

  /** Registers an institution allowed to hold codes. */
  addInstitution(institutionId: string): void {
    lengthPrefixed(institutionId, "institution id");
    this.#institutions.add(institutionId);
  }

  hasInstitution(institutionId: string): boolean {
    return this.#institutions.has(institutionId);
  }

  #requireInstitution(institutionId: string, field: string): void {
    if (!this.#institutions.has(institutionId)) {
      throw new UnknownInstitutionError(`${field}: unknown institution "${institutionId}"`, institutionId);
    }
  }

  /**
   * Issues (or re-issues, idempotently) the code of person `linkId` at `institutionId` and records
   * it in the core's table.
   */
  issueCode(institutionId: string, linkId: string): InstitutionCode {
    this.#requireInstitution(institutionId, "institution");
    const code = deriveInstitutionCode(this.#key, institutionId, linkId);
    const slot = `${institutionId}\u0000${code}`;
    const prior = this.#table.get(slot);
    if (prior !== undefined && prior !== linkId) {
      throw new NetworkSetupError(
        `code collision at institution "${institutionId}" (2^-256 event): refusing to map`,
      );
    }
    this.#table.set(slot, linkId);
    return code;
  }

  /** Number of (institution, person) codes issued. */
  get size(): number {
    return this.#table.size;
  }

  /**
   * Maps the requester's code for a person to the provider's code for the same person. The
   * whitelist check happens before this (the hub calls the whitelist first); this only resolves.
   */
  mapCode(fromInstitution: string, code: string, toInstitution: string): InstitutionCode {
    this.#requireInstitution(fromInstitution, "requester");
    this.#requireInstitution(toInstitution, "provider");
    if (!/^[0-9a-f]{64}$/.test(code)) {
      throw new CodeNotResolvedError(
        `code: expected 64 lowercase hex digits, got ${JSON.stringify(code.slice(0, 80))}`,
      );
    }
    const linkId = this.#table.get(`${fromInstitution}\u0000${code}`);
    if (linkId === undefined) {
      throw new CodeNotResolvedError(`code: not issued to institution "${fromInstitution}"`);
    }
    return this.issueCode(toInstitution, linkId);
  }
}
