/**
 * Which resident an authentication certificate belongs to, for the Myna Portal log-in (issue 12
 * item 6). The JPKI user-authentication certificate is anonymous (FACTS §1.3: no name, no number;
 * serial = ID), so a relying party cannot name the person from it — J-LIS can: it links every serial
 * it issues to the resident. In the twin that link is the CA ledger's `issued` entries
 * (sim/jpki/ca-directory.ts `CaIssued.myNumber`, written by `card apdu --new --pki`). This reads the
 * ledger of a `pki init` directory, re-reads it when its size or mtime changed (cards issued while
 * `serve` runs), and answers serial → My Number for authentication certificates only. The number
 * goes straight to the core's portal-code derivation and is never logged or sent.
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../engine/errors.js";
import { CA_STATE_FILE, normaliseSerial } from "../jpki/ca-directory.js";
import type { CaState } from "../jpki/ca-directory.js";

/** Largest ledger read (≈ 200 bytes an entry: ten thousand times more cards than a test makes). */
export const MAX_LEDGER_BYTES = 256 * 1024 * 1024;

/** Serial → resident, from one CA directory's ledger. */
export class ResidentLinks {
  readonly #file: string;
  #stamp = "";
  #links = new Map<string, string>();

  /** @throws InputError when `pkiDir` has no readable ledger (not a `pki init` directory) */
  constructor(pkiDir: string) {
    this.#file = join(pkiDir, CA_STATE_FILE);
    this.#reload(true);
  }

  #reload(first: boolean): void {
    let stamp: string;
    try {
      const st = statSync(this.#file);
      if (st.size > MAX_LEDGER_BYTES)
        throw new InputError(
          `${this.#file}: ${st.size} bytes, more than the ${MAX_LEDGER_BYTES} a ledger may have`,
          "E_PORTAL_LEDGER",
        );
      stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch (e) {
      if (e instanceof InputError) throw e;
      if (!first) return; // keep the last good links
      throw new InputError(
        `--pki: ${this.#file} is missing: the Myna Portal needs a CA made by myna-twin pki init (its ledger links serials to residents)`,
        "E_PORTAL_LEDGER",
      );
    }
    if (stamp === this.#stamp) return;
    let state: CaState;
    try {
      state = JSON.parse(readFileSync(this.#file, "utf8")) as CaState;
      if (!Array.isArray(state?.issued)) throw new Error("no issued list");
    } catch (e) {
      if (!first) return; // a ledger being replaced: the rename is atomic, so this is a broken file; keep the last
      throw new InputError(
        `--pki: ${this.#file} is not a CA ledger (${(e as Error).message.slice(0, 120)})`,
        "E_PORTAL_LEDGER",
      );
    }
    const links = new Map<string, string>();
    for (const i of state.issued) {
      if (i?.kind !== "auth" || typeof i.myNumber !== "string" || typeof i.serial !== "string") continue;
      const s = normaliseSerial(i.serial);
      if (s !== undefined) links.set(s, i.myNumber);
    }
    this.#links = links;
    this.#stamp = stamp;
  }

  /** Authentication serials linked to a resident. */
  get size(): number {
    return this.#links.size;
  }

  /** The resident's My Number for an authentication certificate serial (hex), or undefined. */
  myNumberOf(serialHex: string): string | undefined {
    const s = normaliseSerial(serialHex);
    if (s === undefined) return undefined;
    const hit = this.#links.get(s);
    if (hit !== undefined) return hit;
    this.#reload(false);
    return this.#links.get(s);
  }
}
