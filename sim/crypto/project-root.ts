/**
 * The project root as sim/crypto finds it: the nearest folder above this module holding a
 * package.json (works from TypeScript sources and from dist/). Home of `.cache/keys` (key-cache.ts)
 * and `build/rsa_verify.node` (native-rsa.ts).
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this module holding a package.json, else the working directory. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
