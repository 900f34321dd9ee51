import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scratch } from "../pki/test-support.js";
import { importPrivateKey, spkiOf } from "./algorithms.js";
import { KeyCacheError } from "./errors.js";
import { KeyCache, decodeKeyBatch, defaultKeyCacheDir, encodeKeyBatch } from "./key-cache.js";
import { CryptoPool } from "./pool.js";

let pool: CryptoPool;
let tmp: Scratch;
beforeAll(() => {
  pool = new CryptoPool({ threads: 2 });
  tmp = new Scratch();
});
afterAll(async () => {
  await pool.destroy();
  tmp.dispose();
});

describe("KeyCache", () => {
  it("defaults to .cache/keys under the project", () => {
    expect(defaultKeyCacheDir()).toMatch(/[/\\]\.cache[/\\]keys$/);
    expect(existsSync(defaultKeyCacheDir().replace(/[/\\]\.cache[/\\]keys$/, "/package.json"))).toBe(true);
  });

  it("returns the same RSA-2048 keys on a second call, generating only the shortfall", async () => {
    const cache = new KeyCache(`${tmp.dir}/rsa`, { maxBatch: 2 });
    const first = await cache.take("rsa2048", 3, { pool });
    expect(first).toMatchObject({ fromCache: 0, generated: 3, corruptBatches: 0 });
    expect(readdirSync(`${tmp.dir}/rsa/rsa2048`).sort()).toEqual(["000000.keys", "000001.keys"]);
    expect(readFileSync(`${tmp.dir}/rsa/README.txt`, "utf8")).toMatch(/SIMULATION ONLY/);
    const again = await new KeyCache(`${tmp.dir}/rsa`).take("rsa2048", 3); // no pool needed: all cached
    expect(again).toMatchObject({ fromCache: 3, generated: 0 });
    expect(again.keys).toEqual(first.keys);
    const fewer = await cache.take("rsa2048", 2);
    expect(fewer.keys).toEqual(first.keys.slice(0, 2));
    const more = await cache.take("rsa2048", 4, { pool });
    expect(more).toMatchObject({ fromCache: 3, generated: 1 });
    expect(more.keys.slice(0, 3)).toEqual(first.keys);
    for (const k of more.keys) {
      const key = importPrivateKey(k.pkcs8);
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(spkiOf(key)).toEqual(k.spki);
    }
  });

  it("moves a corrupt batch aside and regenerates it (default policy)", async () => {
    const dir = `${tmp.dir}/corrupt`;
    const first = await new KeyCache(dir, { maxBatch: 4 }).take("p256", 6, { pool });
    const file = `${dir}/p256/000000.keys`;
    const bytes = readFileSync(file);
    bytes[40] = bytes[40]! ^ 0xff;
    writeFileSync(file, bytes);
    const again = await new KeyCache(dir).take("p256", 6, { pool });
    expect(again).toMatchObject({ fromCache: 2, generated: 4, corruptBatches: 1 });
    expect(existsSync(`${file}.corrupt`)).toBe(true);
    expect(again.keys.slice(4)).toEqual(first.keys.slice(4));
    expect(again.keys[0]).not.toEqual(first.keys[0]);
    // And the regenerated batch is stable from now on.
    expect((await new KeyCache(dir).take("p256", 6)).keys).toEqual(again.keys);
  });

  it('throws a typed error on a corrupt batch with onCorrupt: "throw"', async () => {
    const dir = `${tmp.dir}/strict`;
    await new KeyCache(dir).take("p256", 2, { pool });
    const file = `${dir}/p256/000000.keys`;
    writeFileSync(file, readFileSync(file).subarray(0, 100)); // truncated
    const strict = new KeyCache(dir, { onCorrupt: "throw" });
    const err = await strict.take("p256", 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyCacheError);
    expect(err).toMatchObject({ code: "E_KEY_CACHE", file });
    expect((err as Error).message).toMatch(/checksum mismatch/);
    expect(existsSync(`${file}.corrupt`)).toBe(false);
  });

  it("decodes only well-formed batches of the right kind", async () => {
    const keys = (await new KeyCache(`${tmp.dir}/codec`).take("ed25519", 2, { pool })).keys;
    const b = encodeKeyBatch("ed25519", keys);
    expect(decodeKeyBatch("f", b, "ed25519")).toEqual(keys);
    expect(() => decodeKeyBatch("f", b, "p384")).toThrow(/holds ed25519 keys, expected p384/);
    expect(() => decodeKeyBatch("f", new Uint8Array(10), "ed25519")).toThrow(/bad magic/);
    const v2 = Uint8Array.from(b);
    v2[8] = 2;
    expect(() => decodeKeyBatch("f", v2, "ed25519")).toThrow(/format version 2/);
  });

  it("lets two concurrent fillers of one directory agree on the keys", async () => {
    const dir = `${tmp.dir}/race`;
    const [a, b] = await Promise.all([
      new KeyCache(dir).take("p384", 3, { pool }),
      new KeyCache(dir).take("p384", 3, { pool }),
    ]);
    expect(a.keys).toEqual(b.keys);
    expect(a.generated + b.generated).toBe(3);
    expect((await new KeyCache(dir).take("p384", 3)).keys).toEqual(a.keys);
  });
});

describe("KeyCache file modes (issue 7: 0644 private keys in 0755 directories)", () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  it("writes keys 0600 in 0700 directories", async () => {
    const dir = `${tmp.dir}/modes-new`;
    await new KeyCache(dir).take("p256", 2, { pool });
    expect(mode(dir)).toBe(0o700);
    expect(mode(`${dir}/p256`)).toBe(0o700);
    expect(mode(`${dir}/p256/000000.keys`)).toBe(0o600);
    expect(mode(`${dir}/README.txt`)).toBe(0o600);
  });

  it("repairs an existing cache with open modes before reading from it", async () => {
    const dir = `${tmp.dir}/modes-old`;
    const first = await new KeyCache(dir).take("p256", 2, { pool });
    chmodSync(`${dir}/p256/000000.keys`, 0o644);
    chmodSync(`${dir}/README.txt`, 0o644);
    chmodSync(`${dir}/p256`, 0o755);
    chmodSync(dir, 0o755);
    const again = await new KeyCache(dir).take("p256", 2); // all cached: no pool, only reads
    expect(again).toMatchObject({ fromCache: 2, generated: 0 });
    expect(again.keys).toEqual(first.keys);
    expect(mode(dir)).toBe(0o700);
    expect(mode(`${dir}/p256`)).toBe(0o700);
    expect(mode(`${dir}/p256/000000.keys`)).toBe(0o600);
    expect(mode(`${dir}/README.txt`)).toBe(0o600);
  });

  it("refuses a cache path that is not a directory", async () => {
    const file = `${tmp.dir}/not-a-dir`;
    writeFileSync(file, "x");
    const err = await new KeyCache(file).take("p256", 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyCacheError);
    expect((err as Error).message).toMatch(/not a directory/);
  });
});
