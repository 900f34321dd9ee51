/**
 * `--queue` URLs: the accepted forms, and one message per wrong form (naming the flag, the value
 * with any password hidden, and what was expected); a fuzz of 2,000 mutated URLs (seed 13) never
 * throws anything but an InputError and never prints a password that an @ still follows.
 */
import { describe, expect, it } from "vitest";
import { isInputError } from "../errors.js";
import { mulberry32, randomInt } from "../random/small-prng.js";
import { parseRedisUrl } from "./redis-url.js";

describe("parseRedisUrl", () => {
  it.each([
    ["redis://127.0.0.1:6379/0", { host: "127.0.0.1", port: 6379, db: 0 }],
    ["redis://queue.example:7000", { host: "queue.example", port: 7000, db: 0 }],
    ["redis://localhost", { host: "localhost", port: 6379, db: 0 }],
    ["redis://[::1]:6380/3", { host: "::1", port: 6380, db: 3 }],
  ])("%s", (url, want) => {
    expect(parseRedisUrl(url)).toMatchObject({ ...want, shown: url });
  });

  it("keeps the password out of what it shows", () => {
    const t = parseRedisUrl("redis://:s3cret@10.0.0.5:6379/1");
    expect(t.password).toBe("s3cret");
    expect(t.shown).toBe("redis://***@10.0.0.5:6379/1");
    expect(() => parseRedisUrl("redis://:s3cret@10.0.0.5:6379/db1")).toThrow(
      '--queue "redis://***@10.0.0.5:6379/db1": the database after / must be a number (0 to 65535), got "db1"; expected redis://HOST:PORT[/DB], e.g. redis://127.0.0.1:6379/0',
    );
  });

  // Regression (found by the fuzz below): a mistyped scheme printed the password.
  it("a mistyped scheme does not print the password", () => {
    expect(() => parseRedisUrl("re_dis://:s3cret@h:1/0")).toThrow('--queue "re_dis://***@h:1/0": not a URL');
    expect(() => parseRedisUrl("redis:/:s3cret@h:1/0")).not.toThrow(/s3cret/);
  });

  // Regression (found by the fuzz below): a bad %-escape in the password was a URIError.
  it("a malformed %-escape in the password is an InputError", () => {
    expect(() => parseRedisUrl("redis://:a%E0%A4%A@h:1/0")).toThrow(
      '--queue "redis://***@h:1/0": the password has a malformed %-escape; expected',
    );
  });

  it.each([
    ["127.0.0.1:6379", '--queue "127.0.0.1:6379": not a URL; expected'],
    ["localhost", '--queue "localhost": not a URL; expected'],
    ["http://127.0.0.1:6379", '--queue "http://127.0.0.1:6379": scheme "http" is not supported; expected'],
    ["rediss://h:1", '--queue "rediss://h:1": scheme "rediss" is not supported'],
    ["redis://h:0", '--queue "redis://h:0": port must be 1 to 65535'],
    ["redis://h:99999", '--queue "redis://h:99999": not a URL'],
    [
      "redis://h:1/a/b",
      '--queue "redis://h:1/a/b": the database after / must be a number (0 to 65535), got "a/b"',
    ],
    [
      "redis://h:1/99999",
      '--queue "redis://h:1/99999": the database after / must be a number (0 to 65535), got "99999"',
    ],
    ["redis://h:1/0?x=1", '--queue "redis://h:1/0?x=1": no query or fragment allowed'],
    ["redis://:6379", '--queue "redis://:6379": not a URL'],
    [`redis://${"h".repeat(3000)}`, "--queue: the URL is 3008 characters long; the limit is 2048"],
  ])("%#: one message", (url, start) => {
    let e: unknown;
    try {
      parseRedisUrl(url);
    } catch (x) {
      e = x;
    }
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message.startsWith(start), (e as Error).message).toBe(true);
  });

  it("fuzz: 2,000 mutated URLs give a target or an InputError, never a password in a message", () => {
    const rnd = mulberry32(13);
    const seeds = ["redis://:pw-SECRET@127.0.0.1:6379/2", "redis://host:1/0", "redis://[::1]:7/1"];
    const alphabet = ":/@[]?#%.0123456789abcxyz-_ \u3042";
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const chars = [...seeds[randomInt(rnd, seeds.length)]!];
      for (let k = 1 + randomInt(rnd, 4); k > 0; k--) {
        const at = randomInt(rnd, chars.length + 1);
        const op = randomInt(rnd, 3);
        const c = alphabet[randomInt(rnd, alphabet.length)]!;
        if (op === 0) chars.splice(at, 0, c);
        else if (op === 1) chars.splice(at, 1);
        else chars[at] = c;
      }
      const text = chars.join("");
      try {
        const t = parseRedisUrl(text);
        accepted++;
        if (/SECRET.*@/.test(text)) expect(t.shown).not.toContain("SECRET");
        expect(t.port).toBeGreaterThanOrEqual(1);
        expect(t.db).toBeLessThanOrEqual(65535);
      } catch (e) {
        expect(isInputError(e), String(e)).toBe(true);
        // A password is recognisable only while an @ still follows it.
        if (/SECRET.*@/.test(text)) expect((e as Error).message).not.toContain("SECRET");
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
