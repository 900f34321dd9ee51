/**
 * The cold side of the CRL benchmark's cold-against-cold row: a fresh process that reads one CRL
 * file, parses, indexes and verifies it (`parseCrl` with the issuer's key) and exits — the same job
 * as `openssl crl -inform DER -in FILE -noout -CAfile ISSUER`. Prints the entry count on stdout so
 * the parent can check the work was done.
 *
 * Usage: `node dist/bench/_crl-load-child.js <crl.der> <issuer-spki.der>`
 * @module
 */
import { readFileSync } from "node:fs";
import { parseCrl } from "../sim/pki/crl-index.js";

const [file, spkiFile] = process.argv.slice(2);
if (file === undefined || spkiFile === undefined) {
  process.stderr.write("usage: _crl-load-child.js <crl.der> <issuer-spki.der>\n");
  process.exit(2);
}
const buf = readFileSync(file);
const crl = parseCrl(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), {
  issuerSpki: new Uint8Array(readFileSync(spkiFile)),
});
process.stdout.write(`${crl.entries.count}\n`);
