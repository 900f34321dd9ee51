/**
 * The report's calibration and uncertainty section (issue 9 items 5 and 6): how many parameters the
 * scenario declares free (`calibrate:`) and on which window their values were fitted
 * (`calibrate.fittedUntil`, written by `myna-twin calibrate`); the official national points after
 * that date, each graded PASS or FAIL against ±10 % — the only PASS the report gives, because
 * points on or before it were fitted to; and which uncertainty the 95 % intervals cover (sampling
 * noise only, or parameter ranges by Latin hypercube too).
 * @module
 */
import { p, type Block } from "./blocks.js";
import { int, signed } from "./format.js";
import type { ReportInput } from "./input.js";

export function calibrationSection(input: ReportInput): Block[] {
  const c = input.params.calibrate;
  const u = input.summary.uncertainty;
  if (!c && !u) return [];
  const out: Block[] = [{ kind: "h", level: 2, text: "Calibration and uncertainty", id: "calibration" }];
  if (c) {
    const until = c.fittedUntil;
    out.push(
      p(
        { b: `${c.parameters.length} free parameters` },
        until
          ? ` were fitted by myna-twin calibrate on official data up to ${until} (${c.parameters.map((q) => q.path).join(", ")}); parameters the window could not see keep their declared start.`
          : ` are declared (${c.parameters.map((q) => q.path).join(", ")}) but the scenario does not say on which window they were fitted (no calibrate.fittedUntil): treat every comparison as in sample.`,
      ),
    );
    const national = input.summary.fidelity.national;
    if (until && national.length > 0) {
      const inside = national.filter((r) => r.date <= until);
      const after = national.filter((r) => r.date > until);
      const worstIn = inside.reduce((m, r) => Math.max(m, Math.abs(r.errorPercent)), 0);
      out.push(
        p(
          { b: "In sample:" },
          ` ${int(inside.length)} official dates on or before ${until}, max abs error ${signed(worstIn, 2).replace(/^\+/, "")} % — how well the fit went, not a test.`,
        ),
      );
      if (after.length > 0) {
        const fails = after.filter((r) => Math.abs(r.errorPercent) > 10).length;
        out.push(
          p(
            { b: "Out of sample:" },
            ` ${int(after.length)} official dates after ${until}: ${int(after.length - fails)} PASS, ${int(fails)} FAIL (±10 %).`,
          ),
          {
            kind: "table",
            caption: `National cumulative cards after ${until} (out of sample)`,
            head: ["date", "official", "simulated", "error %", "check"],
            align: ["l", "r", "r", "r", "l"],
            rows: after.map((r) => [
              r.date,
              int(r.official),
              int(r.simulated),
              signed(r.errorPercent, 2),
              Math.abs(r.errorPercent) <= 10 ? "PASS" : "FAIL",
            ]),
          },
        );
      } else
        out.push(
          p(
            "No official national date after the fit window lies in this run: nothing here is out of sample.",
          ),
        );
    }
  }
  if (u) {
    out.push(p({ b: `The 95 % intervals cover ${u.covers}.` }, ` ${u.note}`));
    if (u.parameters.length > 0)
      out.push({
        kind: "table",
        caption: "Parameters sampled by Latin hypercube",
        head: ["parameter", "range", "label"],
        align: ["l", "l", "l"],
        rows: u.parameters.map((q) => [q.path, `${q.min} … ${q.max}`, q.label]),
      });
  }
  return out;
}
