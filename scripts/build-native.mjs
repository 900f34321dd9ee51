// Builds the native RSA verification addon (native/rsa_verify.c → build/rsa_verify.node) with the
// system C compiler against Node's own headers (node_api.h and Node's OpenSSL headers, found beside
// the running `node`: <prefix>/include/node, or $NODE_INCLUDE_DIR). No -lcrypto: the OpenSSL symbols
// resolve against the node binary at load time. No npm install script (npm may block them): `npm run
// build`, `bench:build` and `pretest` call this. When no compiler or headers are found it says so and
// exits 0 — sim/crypto/native-rsa.ts then falls back to node:crypto. Set MYNA_NATIVE_REQUIRED=1 to
// make that an error (exit 1). Rebuilds only when the source is newer than the addon.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const source = join(root, "native", "rsa_verify.c");
const outDir = join(root, "build");
const target = join(outDir, "rsa_verify.node");
const required = process.env.MYNA_NATIVE_REQUIRED === "1";

function giveUp(why) {
  console.error(`native addon not built: ${why}; RSA verification falls back to node:crypto`);
  process.exit(required ? 1 : 0);
}

const include = process.env.NODE_INCLUDE_DIR ?? join(dirname(dirname(process.execPath)), "include", "node");
if (!existsSync(join(include, "node_api.h")) || !existsSync(join(include, "openssl", "evp.h")))
  giveUp(`no node_api.h and openssl/evp.h under ${include} (set NODE_INCLUDE_DIR)`);

if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) process.exit(0);

const cc = process.env.CC ?? "cc";
mkdirSync(outDir, { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const args = ["-O2", "-Wall", "-Wextra", "-shared", "-fPIC", "-I", include, source, "-o", tmp];
const r = spawnSync(cc, args, { stdio: ["ignore", "inherit", "inherit"] });
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  giveUp(r.error ? `${cc} did not run (${r.error.message})` : `${cc} ${args.join(" ")} failed`);
}
renameSync(tmp, target);
console.error(`built ${target}`);
