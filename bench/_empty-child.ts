/**
 * An empty script: the node side's empty process in bench/crl-cold.ts (process start, ES module
 * loading of one file, exit), subtracted from our cold CRL load as `openssl version` is from
 * `openssl crl`. `node -e 0` is not used: the `-e` path costs more than starting a script file.
 * @module
 */
export {};
