/**
 * `myna-twin pki init --out DIR [--partitions P]`: a J-LIS-style CA directory that can go on issuing
 * and revoking (DESIGN.md §5 "The live setup's contract"; sim/jpki/ca-directory.ts): both roots,
 * their private keys (0600), empty full and partitioned CRLs, the ledger. `serve --pki DIR` reads
 * it as it reads a `pki export` directory. The directory is claimed like a run directory: an
 * existing CA (or any non-empty directory) is never overwritten.
 * @module
 */
import { InputError } from "../engine/errors.js";
import { MAX_CA_PARTITIONS, initCaDirectory } from "../sim/jpki/ca-directory.js";
import { integerFlag, parse } from "./args.js";
import { commandLine } from "./context.js";

export const PKI_INIT_HELP = `Usage: myna-twin pki init --out DIR [--partitions P]

Creates a J-LIS-style CA directory: the two roots (auth-root, sign-root; RSA-2048, DER and PEM),
their private keys auth-root.key.pem and sign-root.key.pem (PKCS#8, mode 0600), an empty full CRL
per root (cRLNumber 1, nextUpdate in one day) and its P partition CRLs (serial mod P, as
GET /v1/crl/{auth|sign}/partition/{n} serves them), ca-state.json (the serial counter, CRL numbers,
issued serials, revocations) and manifest.json. Then:
  myna-twin card apdu --new card.myna --pki DIR      issue a card's certificates from it
  myna-twin serve --pki DIR                          trust it (CRLs re-read when they change)
  myna-twin pki revoke --pki DIR --serial HEX --reason NAME

Options:
  --out DIR          directory to create (must not exist or be empty; never overwritten)
  --partitions P     partition CRLs per root (default 4, 1–${MAX_CA_PARTITIONS})
  -h, --help         this help

Exit codes: 0 ok, 2 bad input (flag, existing directory), 1 internal failure.`;

export async function pkiInitCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("pki init", argv, {
    out: { type: "string" },
    partitions: { type: "string" },
  });
  if (values.help) {
    console.log(PKI_INIT_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new InputError(
      `pki init: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin pki init --help)`,
    );
  const out = values.out as string | undefined;
  if (!out) throw new InputError("pki init: --out DIR is required (see myna-twin pki init --help)");
  const partitions = integerFlag(
    "partitions",
    values.partitions as string | undefined,
    4,
    1,
    MAX_CA_PARTITIONS,
  );
  const files = await initCaDirectory(out, {
    partitions,
    now: Date.now(),
    command: commandLine(["pki", "init", ...argv]),
  });
  console.log(
    `Wrote a CA directory to ${out}: auth and sign roots with their keys (0600), empty CRLs ` +
      `(full and ${partitions} partitions per root), ${files.length} files.`,
  );
  return 0;
}
