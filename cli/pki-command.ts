/**
 * `myna-twin pki export --out DIR …`: writes a JPKI certificate and CRL set (two J-LIS demo roots,
 * N cards' signature and authentication certificates, full / delta / partitioned CRLs padded to K
 * entries, manifest.json) that anyone can check with the `openssl` CLI — sim/jpki/pki-export.ts,
 * following FACTS.md §1.2–1.4 and §3 and RFC 5280. The directory is written atomically
 * (engine/run-output/run-directory.ts).
 * @module
 */
import { InputError } from "../engine/errors.js";
import { checkRunTarget, writeRunDirectory } from "../engine/run-output/run-directory.js";
import { LIMITS, buildPkiExport, checkPkiExportOptions } from "../sim/jpki/pki-export.js";
import type { PkiExportOptions } from "../sim/jpki/pki-export.js";
import type { KeyProfile } from "../sim/jpki/keys.js";
import { integerFlag, parse } from "./args.js";
import { commandLine } from "./context.js";
import { pkiVerifyCommand } from "./pki-verify-command.js";
import { pkiInitCommand } from "./pki-init-command.js";
import { pkiRevokeCommand } from "./pki-revoke-command.js";

export const PKI_HELP = `Usage: myna-twin pki export --out DIR [options]
       myna-twin pki verify CERT --trust ROOT [--intermediate CERT]... [--crl CRL]... [--at ISO-TIME]
         (path validation with CRLs; see myna-twin pki verify --help)
       myna-twin pki init --out DIR [--partitions P]
         (a CA that keeps its keys, for card apdu --new --pki and serve; see pki init --help)
       myna-twin pki revoke --pki DIR --serial HEX --reason NAME
         (revoke one certificate of a pki init CA; see pki revoke --help)

Writes a JPKI certificate and revocation set that OpenSSL can check: both J-LIS demo roots (PEM,
DER), N cards' signature and authentication certificates (PEM), per root a full CRL padded with
filler serials to K entries, a delta CRL and a partitioned CRL set (DER, PEM), and manifest.json
naming every file, its format and role, and which certificates are revoked and why.

Options:
  --out DIR             directory to create (must not exist or be empty); written atomically
  --cards N             cards to issue (default 4, at most ${LIMITS.cards})
  --revoke M            revoke the first M cards (default 1; M ≤ N). Card 1 lost (both certificates,
                        keyCompromise), card 2 moved (signature only, affiliationChanged), card 3
                        died (both, cessationOfOperation), and so on; with M ≥ 2 the last one is
                        revoked after the full CRL and is listed only in the delta CRL
  --crl-entries K       pad each full CRL to K entries with filler serials that belong to no
                        exported certificate (default 1000, at most ${LIMITS.crlEntries.toLocaleString("en-US")}; ≈0.45 GB of
                        memory per million)
  --partitions P        partitioned CRLs per root, by serial mod P (default 4, at most ${LIMITS.partitions})
  --seed S              seed of the residents and the filler (default 1); keys are always fresh
  --profile NAME        rsa2048 (current card, SHA-256, 5-year certificates; default) or
                        p384 (next-generation card: ECDSA P-384, SHA-384, 10 years)
  -h, --help            this help

Check it, e.g.:
  openssl verify -crl_check -CAfile DIR/sign-root.pem -CRLfile DIR/sign-crl-full.pem DIR/card-0001-sign.pem
  openssl verify -crl_check -extended_crl -use_deltas -CAfile DIR/sign-root.pem \
    -CRLfile DIR/sign-crl-full.pem -CRLfile DIR/sign-crl-delta.pem DIR/card-0002-sign.pem
(-use_deltas needs -extended_crl on OpenSSL 3.0, or the newer delta is taken for a complete CRL.)

Exit codes: 0 ok, 2 bad input (flag), 1 internal failure.`;

export async function pkiCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(PKI_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === "verify") return pkiVerifyCommand(rest);
  if (sub === "init") return pkiInitCommand(rest);
  if (sub === "revoke") return pkiRevokeCommand(rest);
  if (sub !== "export")
    throw new InputError(`pki: unknown subcommand ${JSON.stringify(sub)} (see myna-twin pki --help)`);
  const { values, positionals } = parse("pki export", rest, {
    out: { type: "string" },
    cards: { type: "string" },
    revoke: { type: "string" },
    "crl-entries": { type: "string" },
    partitions: { type: "string" },
    seed: { type: "string" },
    profile: { type: "string" },
  });
  if (values.help) {
    console.log(PKI_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new InputError(
      `pki export: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin pki --help)`,
    );
  const out = values.out as string | undefined;
  if (!out) throw new InputError("pki export: --out DIR is required (see myna-twin pki --help)");
  const profile = (values.profile as string | undefined) ?? "rsa2048";
  if (profile !== "rsa2048" && profile !== "p384")
    throw new InputError(`pki export: --profile must be rsa2048 or p384, got ${JSON.stringify(profile)}`);
  const opts: PkiExportOptions = {
    cards: integerFlag("cards", values.cards as string | undefined, 4, 1, LIMITS.cards),
    revoke: integerFlag("revoke", values.revoke as string | undefined, 1),
    crlEntries: integerFlag(
      "crl-entries",
      values["crl-entries"] as string | undefined,
      1000,
      0,
      LIMITS.crlEntries,
    ),
    partitions: integerFlag("partitions", values.partitions as string | undefined, 4, 1, LIMITS.partitions),
    seed: integerFlag("seed", values.seed as string | undefined, 1, 0, 2 ** 53 - 1),
    profile: profile as KeyProfile,
    now: Date.now(),
  };
  checkPkiExportOptions(opts);
  checkRunTarget(out);
  const t0 = performance.now();
  const { files, manifest } = await buildPkiExport(opts, commandLine(["pki", ...argv]));
  writeRunDirectory(out, files);
  const revoked = manifest.certificates.filter((c) => c.revoked);
  const fullEntries = manifest.files.find((f) => f.role === "crl-full")?.entries ?? 0;
  console.log(
    `Wrote ${Object.keys(files).length} files to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `${manifest.certificates.length} certificates (${revoked.length} revoked); per root a full CRL of ` +
      `${fullEntries.toLocaleString("en-US")} entries, a delta CRL and ${opts.partitions} partition CRLs.`,
  );
  console.log(`Manifest: ${out}/manifest.json`);
  return 0;
}
