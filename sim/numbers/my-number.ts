/**
 * Individual numbers (個人番号, "My Number"): 12 digits, the last a check digit of the first 11
 * (Cabinet Office ordinance No. 85 of 2014, §5: mod 11 with weights 2–7 from the right, a remainder
 * of 0 or 1 giving 0). Used wherever the twin makes or checks a number: demo residents, card
 * personalisation, the provision hub's enrolment.
 * @module
 */
import { InputError } from "../../engine/errors.js";

/** Check digit of an individual number's first 11 digits. @throws InputError unless 11 digits */
export function myNumberCheckDigit(first11: string): number {
  if (!/^[0-9]{11}$/.test(first11))
    throw new InputError(
      `individual number: expected 11 digits, got "${first11.slice(0, 40)}"`,
      "E_MY_NUMBER",
    );
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += Number(first11[11 - n]) * (n <= 6 ? n + 1 : n - 5);
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** True when `s` is 12 digits whose last digit is the check digit of the first 11. */
export function isValidMyNumber(s: string): boolean {
  return /^[0-9]{12}$/.test(s) && myNumberCheckDigit(s.slice(0, 11)) === Number(s[11]);
}
