/** `myna-twin validate <scenario.yaml>`: checks a scenario without running it. @module */
import { InputError } from "../engine/errors.js";
import { loadScenario, printWarnings } from "../scenarios/load-scenario.js";
import { parse } from "./args.js";

export const VALIDATE_HELP = `Usage: myna-twin validate <scenario.yaml> [--set key=value ...]

Checks a scenario file against the schema (scenarios/README.md) and prints a one-line summary.
Implausible magnitudes (e.g. a factory above 700,000 cards/day) are warnings on stderr, naming
file:line, the field and the bound with its source; the scenario is still valid.
Exit codes: 0 valid, 2 invalid (the message names file:line, the field and what was expected).`;

export function validateCommand(argv: string[]): number {
  const { values, positionals } = parse("validate", argv, { set: { type: "string", multiple: true } });
  if (values.help) {
    console.log(VALIDATE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError("validate: expected exactly one scenario file");
  const s = loadScenario(positionals[0]!, (values.set as string[] | undefined) ?? []);
  const p = s.params;
  printWarnings(s.warnings);
  const warned =
    s.warnings.length === 0
      ? ""
      : `, ${s.warnings.length} warning${s.warnings.length === 1 ? "" : "s"} (on stderr)`;
  console.log(
    `ok: ${s.file} — ${p.name}, ${p.start} → ${p.end}, target ${p.target.cards.toLocaleString("en-US")} cards by ${p.target.date}, ` +
      `${p.demand.shocks.length} demand shocks, ${p.jlis.outages.length} outages${warned}`,
  );
  return 0;
}
