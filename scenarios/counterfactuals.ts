/**
 * A scenario's `counterfactuals:` resolved into the parameters each one runs with (issue 9 item 3):
 * the validated scenario with the counterfactual's `set` applied through the same own-field setter
 * as `--set` (scenarios/overrides.ts), then validated again against the scenario schema and its
 * cross-field rules. A bad key or value is one {@link InputError} naming where the counterfactual is
 * declared, which one, the key and what was expected; nothing runs.
 * @module
 */
import { InputError, isInputError } from "../engine/errors.js";
import { PIN_RESET_COUNTERFACTUAL } from "../sim/run-format/pin-resets.js";
import type { ResolvedCounterfactual } from "../sim/issuance/counterfactuals.js";
import type { IssuanceParams } from "../sim/issuance/params.js";
import { applyOverride } from "./overrides.js";
import { refineScenario, scenarioSchema, toIssuanceParams } from "./schema.js";
import { fieldName, type Path } from "./yaml-source.js";

/**
 * @param params the validated baseline (with `--set` already applied)
 * @param where `file:line:column` of a path in the scenario's files
 * @throws InputError on the first counterfactual that does not resolve to a valid scenario
 */
export function resolveCounterfactuals(
  params: IssuanceParams,
  where: (path: Path) => string,
): ResolvedCounterfactual[] {
  const specs = params.counterfactuals ?? [];
  const declared = specs.map((spec, i) => {
    const at = (): string => `${where(["counterfactuals", i, "set"])}: counterfactuals[${i}] (${spec.name})`;
    const base = structuredClone(params) as unknown as Record<string, unknown>;
    delete base["counterfactuals"];
    for (const [key, value] of Object.entries(spec.set)) {
      try {
        // JSON is YAML: the declared value goes through the same parser and setter as --set's.
        applyOverride(base, `${key}=${JSON.stringify(value)}`, "set");
      } catch (e) {
        if (isInputError(e)) throw new InputError(`${at()}: ${e.message}`, "E_SCENARIO");
        throw e;
      }
    }
    const parsed = scenarioSchema.safeParse(base);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
      throw new InputError(
        `${at()}: makes ${fieldName(path)} invalid: ${issue.message.replace(/^Invalid input: /, "")}`,
        "E_SCENARIO",
      );
    }
    const rule = refineScenario(parsed.data)[0];
    if (rule)
      throw new InputError(`${at()}: makes ${fieldName(rule.path)} invalid: ${rule.message}`, "E_SCENARIO");
    for (const key of ["start", "end"] as const)
      if (parsed.data[key] !== params[key])
        throw new InputError(
          `${at()}: sets ${key} to ${parsed.data[key]}; a counterfactual keeps the baseline's period (${params.start} … ${params.end})`,
          "E_SCENARIO",
        );
    return { ...spec, params: toIssuanceParams(parsed.data) };
  });
  return [...declared, ...pinResetCounterfactual(params)];
}

/**
 * When PIN-reset visits take counter minutes (`counters.minutesPerPinReset` > 0), the paired run
 * with the visits taking none, whose difference is what they cost (sim/issuance/pin-reset-summary.ts);
 * none when the scenario declares a counterfactual of that name itself.
 */
function pinResetCounterfactual(params: IssuanceParams): ResolvedCounterfactual[] {
  const minutes = params.counters.minutesPerPinReset;
  if (minutes === undefined || minutes <= 0) return [];
  if ((params.counterfactuals ?? []).some((c) => c.name === PIN_RESET_COUNTERFACTUAL)) return [];
  const base = structuredClone(params);
  delete base.counterfactuals;
  return [
    {
      name: PIN_RESET_COUNTERFACTUAL,
      description: `Added by the run: the same scenario with PIN-reset visits (${minutes} staff minutes each) taking no counter time, to measure the cards and lead time they cost.`,
      set: { "counters.minutesPerPinReset": 0 },
      params: { ...base, counters: { ...base.counters, minutesPerPinReset: 0 } },
    },
  ];
}
