/**
 * `myna-twin pki revoke --pki DIR --serial HEX --reason NAME`: revokes one certificate of a
 * `pki init` CA (DESIGN.md §5 contract; sim/jpki/ca-directory.ts): the root's full CRL and its
 * partitions are re-issued with the next cRLNumber, signed, and each file replaced atomically, so
 * a running `serve --pki DIR` picks it up on its next reload. Reason names are RFC 5280 §5.3.1's;
 * `unspecified` writes no reasonCode. An unknown serial, a bad reason, a missing directory, or a
 * serial already revoked: one message, exit 2, nothing changed.
 * @module
 */
import { InputError } from "../engine/errors.js";
import { REVOCATION_REASONS, revokeSerial } from "../sim/jpki/ca-directory.js";
import { parse } from "./args.js";

export const PKI_REVOKE_HELP = `Usage: myna-twin pki revoke --pki DIR --serial HEX --reason NAME

Revokes the certificate with serial HEX issued by the CA directory DIR (from myna-twin pki init,
issued with myna-twin card apdu --new FILE --pki DIR): re-issues that root's full CRL and its
partition CRLs with the next CRL number, thisUpdate now and nextUpdate in one day, each written
atomically (temp file, fsync, rename). A running myna-twin serve --pki DIR re-reads it within its
--crl-reload-ms and then answers "revoked" for the certificate.

Options:
  --pki DIR         the CA directory
  --serial HEX      the certificate's serial in hex, as openssl x509 -serial prints it (colons
                    and spaces allowed)
  --reason NAME     RFC 5280 reason: ${REVOCATION_REASONS.join(", ")}
                    (unspecified writes no reasonCode, RFC 5280 §5.3.1)
  -h, --help        this help

Revoking a serial that is already revoked is an error (exit 2) and changes nothing.
Exit codes: 0 ok, 2 bad input (flag, directory, unknown or already revoked serial), 1 internal failure.`;

export async function pkiRevokeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("pki revoke", argv, {
    pki: { type: "string" },
    serial: { type: "string" },
    reason: { type: "string" },
  });
  if (values.help) {
    console.log(PKI_REVOKE_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new InputError(
      `pki revoke: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin pki revoke --help)`,
    );
  for (const k of ["pki", "serial", "reason"] as const)
    if (!values[k]) throw new InputError(`pki revoke: --${k} is required (see myna-twin pki revoke --help)`);
  const r = await revokeSerial(
    values.pki as string,
    values.serial as string,
    values.reason as string,
    Date.now(),
  );
  console.log(
    `Revoked ${r.kind} certificate ${r.serial} (${r.reason}); ${r.kind}-crl-full is now CRL number ` +
      `${r.crlNumber} with ${r.entries} entr${r.entries === 1 ? "y" : "ies"}.`,
  );
  return 0;
}
