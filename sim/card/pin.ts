/**
 * PIN key references and their retry counters, FACTS.md §1.5 (formats, tries, lockout, reset) and
 * §2.4 (VERIFY / CHANGE REFERENCE DATA); JICSAP 6.4.9 (5) for the tries-left query.
 *
 * Behaviour modelled:
 * - a wrong value spends one try and answers `63Cx` (x = tries left), `63C0` on the failure that
 *   exhausts the counter, `6984` for every attempt afterwards;
 * - a correct value before lockout resets the counter to its maximum;
 * - the empty VERIFY reports the tries left and spends nothing;
 * - counters live in the card, so failures accumulate across sessions, SELECTs and services;
 *   {@link PinReference.changes} counts every change of the non-volatile part (counter or value),
 *   so a file-backed card knows it must be written before it answers (card-file.ts).
 *
 * Modelling choice (not published): a candidate whose *length* is outside the policy range is
 * refused with `6700` before comparison and spends nothing; one of the right length is compared
 * byte for byte (a lower-case signature password is simply wrong and spends a try — clients
 * upper-case it, FACTS.md §1.5).
 * @module
 */
import { timingSafeEqual } from "node:crypto";

/** Which of the card's PINs (values the holder chooses; the counter can re-set them). */
export type PinKind = "auth" | "sign" | "text";

/**
 * The card-face keys (照合番号 and the birth-date key) of the 券面 APs, FACTS.md §2.3. Their values
 * are printed on, or derived from, the card face; they cannot be changed, only their counters reset.
 */
export type CodeKind = "textCodeA" | "textCodeB" | "surfaceBirthDate" | "surfaceCodeA" | "surfaceCodeB";

/** Every card-face key, in a fixed order (persistence, counters). */
export const CODE_KINDS: readonly CodeKind[] = [
  "textCodeA",
  "textCodeB",
  "surfaceBirthDate",
  "surfaceCodeA",
  "surfaceCodeB",
];

/**
 * Tries of a card-face key before it blocks. ASSUMPTION: the limit is published nowhere we found
 * (FACTS.md §1.5 lists only the 4 holder PINs); 10 is this model's choice (docs/jpki.md).
 */
export const CODE_MAX_TRIES = 10;

/** Format and retry rules of one PIN. */
export interface PinPolicy {
  /** Which PIN or card-face key (`"blocked"`: the key reference blocked at issuance). */
  readonly kind: PinKind | CodeKind | "blocked";
  /** Human name, for messages. */
  readonly label: string;
  /** Minimum length in characters (= bytes, ASCII). */
  readonly minLength: number;
  /** Maximum length in characters. */
  readonly maxLength: number;
  /** Allowed characters, as a regular expression over the whole value. */
  readonly pattern: RegExp;
  /** Consecutive failures before the PIN blocks. */
  readonly maxTries: number;
  /** True for references CHANGE REFERENCE DATA may not replace (card-face keys; answers 6985). */
  readonly fixed?: boolean;
}

/** 利用者証明用暗証番号: 4 digits, 3 tries (FACTS.md §1.5). */
export const AUTH_PIN_POLICY: PinPolicy = {
  kind: "auth",
  label: "auth PIN (利用者証明用暗証番号)",
  minLength: 4,
  maxLength: 4,
  pattern: /^[0-9]{4}$/,
  maxTries: 3,
};

/** 署名用パスワード: 6–16 of upper-case A–Z and 0–9, 5 tries (FACTS.md §1.5). */
export const SIGN_PIN_POLICY: PinPolicy = {
  kind: "sign",
  label: "signature password (署名用パスワード)",
  minLength: 6,
  maxLength: 16,
  pattern: /^[A-Z0-9]{6,16}$/,
  maxTries: 5,
};

/** 券面事項入力補助用暗証番号: 4 digits, 3 tries (FACTS.md §1.5). */
export const TEXT_PIN_POLICY: PinPolicy = {
  kind: "text",
  label: "card-input-support PIN (券面事項入力補助用暗証番号)",
  minLength: 4,
  maxLength: 4,
  pattern: /^[0-9]{4}$/,
  maxTries: 3,
};

function codePolicy(kind: CodeKind, label: string, digits: number): PinPolicy {
  return {
    kind,
    label,
    minLength: digits,
    maxLength: digits,
    pattern: new RegExp(`^[0-9]{${digits}}$`),
    maxTries: CODE_MAX_TRIES,
    fixed: true,
  };
}

/** The policy of each card-face key: 照合番号A 12 digits, 照合番号B 14, the birth-date key 6. */
export const CODE_POLICIES: Readonly<Record<CodeKind, PinPolicy>> = {
  textCodeA: codePolicy("textCodeA", "照合番号A of the 券面事項入力補助AP", 12),
  textCodeB: codePolicy("textCodeB", "照合番号B of the 券面事項入力補助AP", 14),
  surfaceBirthDate: codePolicy("surfaceBirthDate", "birth-date key of the 券面事項確認AP", 6),
  surfaceCodeA: codePolicy("surfaceCodeA", "照合番号A of the 券面事項確認AP", 12),
  surfaceCodeB: codePolicy("surfaceCodeB", "照合番号B of the 券面事項確認AP", 14),
};

/** The key reference EF 0012 of the 券面事項入力補助AP: blocked on every card at issuance. */
export const BLOCKED_POLICY: PinPolicy = {
  kind: "blocked",
  label: "key reference 0012 of the 券面事項入力補助AP (blocked at issuance)",
  minLength: 1,
  maxLength: 16,
  pattern: /^$/,
  maxTries: 3,
  fixed: true,
};

/** The policy of each PIN kind. */
export const PIN_POLICIES: Readonly<Record<PinKind, PinPolicy>> = {
  auth: AUTH_PIN_POLICY,
  sign: SIGN_PIN_POLICY,
  text: TEXT_PIN_POLICY,
};

/** Why a value breaks a policy: `"length"`, `"charset"`, or `undefined` when it is valid. */
export function pinFormatProblem(policy: PinPolicy, value: string): "length" | "charset" | undefined {
  if (value.length < policy.minLength || value.length > policy.maxLength) return "length";
  return policy.pattern.test(value) ? undefined : "charset";
}

/** Outcome of {@link PinReference.verify}. */
export type VerifyOutcome =
  | { readonly result: "ok" }
  | { readonly result: "wrong"; readonly remaining: number }
  | { readonly result: "blocked" }
  | { readonly result: "bad-length" };

/**
 * One PIN key reference: its secret value (private, never readable) and its retry counter.
 * Host-side mutators (`set`, `restoreCounter`) exist for the card's counter procedures and
 * persistence; the APDU path only calls `verify`, `change` and `remaining`.
 */
export class PinReference {
  /** Format and tries. */
  readonly policy: PinPolicy;
  #value: Uint8Array;
  #remaining: number;
  #changes = 0;

  /**
   * @param policy the PIN's rules
   * @param value the initial value; must satisfy the policy (checked by the caller)
   */
  constructor(policy: PinPolicy, value: string) {
    this.policy = policy;
    this.#value = new TextEncoder().encode(value);
    this.#remaining = policy.maxTries;
  }

  /** Tries left before the PIN blocks (0 = blocked). */
  get remaining(): number {
    return this.#remaining;
  }

  /** How many times the counter or the value has changed since construction. */
  get changes(): number {
    return this.#changes;
  }

  /** True once the counter is exhausted. */
  get blocked(): boolean {
    return this.#remaining === 0;
  }

  /** Compare a candidate, spending a try on failure and resetting the counter on success. */
  verify(candidate: Uint8Array): VerifyOutcome {
    if (this.#remaining === 0) return { result: "blocked" };
    if (candidate.length < this.policy.minLength || candidate.length > this.policy.maxLength) {
      return { result: "bad-length" };
    }
    const same = candidate.length === this.#value.length && timingSafeEqual(candidate, this.#value);
    if (same) {
      if (this.#remaining !== this.policy.maxTries) this.#changes++;
      this.#remaining = this.policy.maxTries;
      return { result: "ok" };
    }
    this.#changes++;
    this.#remaining -= 1;
    return { result: "wrong", remaining: this.#remaining };
  }

  /** Replace the value from the APDU path (format already checked) and reset the counter. */
  change(newValue: Uint8Array): void {
    this.#value = Uint8Array.from(newValue);
    this.#remaining = this.policy.maxTries;
    this.#changes++;
  }

  /** Replace the value at the counter (format already checked) and unblock. */
  set(value: string): void {
    this.change(new TextEncoder().encode(value));
  }

  /** Restore a persisted counter value (clamped to 0..maxTries). */
  restoreCounter(remaining: number): void {
    const next = Math.max(0, Math.min(this.policy.maxTries, Math.trunc(remaining)));
    if (next !== this.#remaining) this.#changes++;
    this.#remaining = next;
  }

  /** The value, for sealing into an encrypted card file only (see card-store.ts). @internal */
  sealValue(): string {
    return new TextDecoder().decode(this.#value);
  }
}
