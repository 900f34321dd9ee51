#!/usr/bin/env node
/**
 * The `myna-twin` command: dispatches to its commands (run, sweep, validate, serve, …). The user's
 * own mistakes (bad scenario, bad flag, an output directory that is taken) print one message and
 * exit 2; an output location that cannot be created or written (permissions, read-only or full file
 * system, a path through a file, a dangling link) prints one message and exits 3; anything else is
 * an internal failure (exit 1). Ctrl-C is left to the default action (the process ends at once,
 * status 130): a run claims its directory (`.claim`) before simulating and writes manifest.json
 * last, so an interrupted run never leaves a directory that looks complete
 * (engine/run-output/run-directory.ts). Each command's module is loaded when it is chosen, so
 * `--help` and a mistyped command do not load the simulator, the crypto or the servers.
 * @module
 */
import { isInputError, isOutputError } from "../engine/errors.js";

const HELP = `myna-twin — digital twin of Japan's My Number infrastructure

Usage: myna-twin <command> [options]

Commands:
  run <scenario.yaml>       run a card-issuance scenario and write its report
  sweep <scenario.yaml>     run a grid of scenario variants in parallel
  validate <scenario.yaml>  check a scenario file without running it
  compare <runA> <runB>     the differences B − A between two runs (compare.md, compare.json)
  calibrate <scenario.yaml> --fit-until DATE   fit the scenario's calibrate: parameters with a hold-out
  card apdu                 a virtual card reader: hex APDUs on stdin to a simulated My Number card
  pki export --out DIR      write JPKI roots, certificates and CRLs that OpenSSL can check
  pki verify CERT --trust ROOT [--crl CRL]…  RFC 5280 path validation (OK exit 0, REJECTED exit 3)
  pki init --out DIR        a CA directory that keeps its keys (card apdu --new --pki DIR, serve --pki DIR)
  pki revoke --pki DIR --serial HEX --reason NAME   revoke one certificate: re-issues the CRL atomically
  serve --pki DIR           the live JPKI authentication and CRL service (HTTP)
  network init|enrol|request|retain   the information provision hub (serve --hub DIR)
  worker --queue redis://HOST:PORT   run queued tasks of run/sweep/calibrate --queue (docs/scale-out.md)
  portal login --card FILE --pin PIN --url URL   log in to the Myna Portal with a card; prints the page URL

myna-twin <command> --help shows a command's options.
Exit codes: 0 ok, 2 bad input (or output directory taken), 3 output location not writable (pki verify: REJECTED),
1 internal failure, 130 interrupted.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await (await import("./run-command.js")).runCommand(rest);
      case "sweep":
        return await (await import("./sweep-command.js")).sweepCommand(rest);
      case "compare":
        return await (await import("./compare-command.js")).compareCommand(rest);
      case "calibrate":
        return await (await import("./calibrate-command.js")).calibrateCommand(rest);
      case "validate":
        return (await import("./validate-command.js")).validateCommand(rest);
      case "card":
        return await (await import("./card-command.js")).cardCommand(rest);
      case "pki":
        return await (await import("./pki-command.js")).pkiCommand(rest);
      case "serve":
        return await (await import("./serve-command.js")).serveCommand(rest);
      case "network":
        return await (await import("./network-command.js")).networkCommand(rest);
      case "worker":
        return await (await import("./worker-command.js")).workerCommand(rest);
      case "portal":
        return await (await import("./portal-command.js")).portalCommand(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(HELP);
        return command === undefined ? 2 : 0;
      default:
        console.error(`myna-twin: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (isInputError(e)) {
      console.error(`myna-twin: ${e.message}`);
      return 2;
    }
    if (isOutputError(e)) {
      console.error(`myna-twin: ${e.message}`);
      return 3;
    }
    console.error("myna-twin: internal failure (please report it with the command you ran):");
    console.error(e);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
