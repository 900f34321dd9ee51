/**
 * `myna-twin calibrate <scenario.yaml> --fit-until DATE [--out DIR] [--threads N] [--seed N]`
 * (issue 9 item 5): fits the free parameters the scenario declares in `calibrate:` on official data
 * up to DATE only (sim/issuance/calibration/calibrate.ts) and writes calibrated.yaml (extends the
 * scenario with the fitted values), calibration.json (sim/run-format/calibration.ts) and
 * calibration.md into a directory claimed like a run's (default reports/calibrate/<id>/). Bad input
 * is one message and exit 2, before anything runs or is written; results are identical whatever
 * --threads.
 * @module
 */
import { join, relative, resolve } from "node:path";
import { parseIsoDate } from "../engine/calendar.js";
import { InputError } from "../engine/errors.js";
import { checkThreads, defaultThreads } from "../engine/pool/task-pool.js";
import { checkRunTarget } from "../engine/run-output/run-directory.js";
import { claimRunDirectory } from "../engine/run-output/run-claim.js";
import { loadScenario, printWarnings } from "../scenarios/load-scenario.js";
import { calibrate } from "../sim/issuance/calibration/calibrate.js";
import { calibratedYaml } from "../sim/issuance/calibration/calibrated-yaml.js";
import { calibrationMarkdown } from "../sim/issuance/calibration/calibration-report.js";
import { CalibrationDocumentSchema, parseJsonFile } from "../sim/run-format/index.js";
import { integerFlag, parse } from "./args.js";
import { commandLine, DATA_DIR, newRunId, ROOT } from "./context.js";
import { closingQueue, openQueue, QUEUE_FLAG, queueHelp } from "./worker-command.js";

export const CALIBRATE_HELP = `Usage: myna-twin calibrate <scenario.yaml> --fit-until DATE [options]

Fits the free parameters the scenario declares in its calibrate: block (key paths as for --set,
with bounds and a start) to the official national points on or before DATE only
(data/issuance-national.csv, data/issuance-national-facts.csv; the per-municipality propensity is
fitted on DATE), by Nelder–Mead from the declared starts, then runs the fitted scenario in full and
reports its error at every official point: in sample (≤ DATE) and out of sample (> DATE, PASS
within ±10 %), prefecture coverage and the flows of FACTS §4.1.

Writes calibrated.yaml (extends the scenario with the fitted values), calibration.json and
calibration.md.

Options:
  --fit-until DATE  last date of official data the fit may use (YYYY-MM-DD; required)
  --out DIR         write into DIR (default reports/calibrate/<id>/); claimed like a run's directory
  --seed N          random seed of the model runs (default 1)
  --threads N       worker threads (default: every core); the result does not depend on it
${queueHelp(20)}
  -h, --help        this help

Exit codes: 0 ok, 2 bad input (scenario, flags, no calibrate: block, --out taken),
3 --out not writable, 1 internal failure.`;

const FLAGS = {
  "fit-until": { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  threads: { type: "string" },
  ...QUEUE_FLAG,
} as const;

export async function calibrateCommand(argv: string[], dataDir = DATA_DIR): Promise<number> {
  const { values, positionals } = parse("calibrate", argv, FLAGS);
  if (values.help) {
    console.log(CALIBRATE_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new InputError(
      `calibrate: expected one scenario file, got ${positionals.length} (see myna-twin calibrate --help)`,
    );
  const fitUntil = values["fit-until"] as string | undefined;
  if (fitUntil === undefined)
    throw new InputError("calibrate: --fit-until DATE is required (the last date of data the fit may use)");
  parseIsoDate(fitUntil, "calibrate: --fit-until");
  const seed = integerFlag("seed", values.seed as string | undefined, 1, 0, 2 ** 53 - 1);
  const threads = checkThreads(
    integerFlag("threads", values.threads as string | undefined, defaultThreads(), 1, 256),
  );
  const file = positionals[0]!;
  const scenario = loadScenario(file);
  printWarnings(scenario.warnings);
  const outDir =
    (values.out as string | undefined) ??
    join(ROOT, "reports", "calibrate", `${newRunId(seed)}-${scenario.params.name}-to-${fitUntil}`);
  checkRunTarget(outDir);
  const queue = await openQueue(values.queue as string | undefined);
  const command = commandLine(["calibrate", ...argv]);
  const result = await closingQueue(
    queue,
    calibrate({
      load: (overrides) => loadScenario(file, overrides).params,
      scenarioFile: relative(ROOT, resolve(file)) || file,
      fitUntil,
      seed,
      threads,
      dataDir,
      ...(queue ? { runTasks: queue.runTasks } : {}),
      onProgress: (n, best) =>
        process.stderr.write(`\rcalibrate: ${n} model runs, best ${best.toPrecision(4)}   `),
    }),
  );
  process.stderr.write("\n");
  const json = `${JSON.stringify(result.document, null, 2)}\n`;
  parseJsonFile(CalibrationDocumentSchema, json, "calibration.json");
  const extendsPath = relative(resolve(outDir), resolve(file)) || resolve(file);
  const yaml = calibratedYaml(result.params, result.document, extendsPath, command);
  const md = calibrationMarkdown(result.document);
  const claim = claimRunDirectory(outDir);
  process.once("exit", () => claim.abandon());
  claim.commit({ "calibrated.yaml": yaml, "calibration.json": json, "calibration.md": md });
  process.stdout.write(md);
  console.log(`Written: ${join(outDir, "calibrated.yaml")}, calibration.json and calibration.md`);
  return 0;
}
