/**
 * The knee search of bench:load (issue 10 item 5), shared by the service and the bare reference:
 * offered loads rise ×1.5 until a step is not sustained, then a few more steps bisect between the
 * last rate kept up with and the first that was not.
 * @module
 */
/** Steps between the last rate kept up with and the first that was not, after the ×1.5 ladder. */
const REFINE_STEPS = 2;

/**
 * The knee search shared by the service and the bare server: offered loads rise ×1.5 from `start`
 * (at most `maxSteps`) until a step is not sustained, then {@link REFINE_STEPS} more steps bisect
 * (geometrically) between the last rate kept up with and the first that was not — the ladder alone
 * quantises a knee to a third of its value. `step` measures one rate and says whether it was
 * sustained and its achieved rate. @returns the knee (best achieved rate of a sustained step, 0 if
 * none) and the rate offered there.
 */
export async function searchKnee(
  start: number,
  maxSteps: number,
  step: (rate: number) => Promise<{ sustained: boolean; achieved: number }>,
): Promise<{ knee: number; offered: number }> {
  let knee = 0;
  let offered = 0;
  let failed = 0;
  const at = async (rate: number): Promise<boolean> => {
    const r = await step(rate);
    if (r.sustained && r.achieved > knee) {
      knee = r.achieved;
      offered = rate;
    }
    return r.sustained;
  };
  for (let k = 0, rate = start; k < maxSteps; k++, rate = Math.round(rate * 1.5))
    if (!(await at(rate))) {
      failed = rate;
      break;
    }
  for (let k = 0, lo = offered, hi = failed; k < REFINE_STEPS && lo > 0 && hi > 0; k++) {
    const rate = Math.round(Math.sqrt(lo * hi));
    if (rate <= lo || rate >= hi) break;
    if (await at(rate)) lo = rate;
    else hi = rate;
  }
  return { knee, offered };
}
