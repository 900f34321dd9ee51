/**
 * The `--queue` URL: `redis://[:PASSWORD@]HOST[:PORT][/DB]` (the Redis URI scheme of IANA's
 * registration, https://www.iana.org/assignments/uri-schemes/prov/redis), checked before anything
 * connects. A user and password are kept out of every message ({@link RedisTarget.shown}).
 * @module
 */
import { InputError } from "../errors.js";

/** Where the queue's Redis is. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  /** The URL as printed in messages and manifests (user and password replaced by `***`). */
  shown: string;
}

/** The longest URL accepted. */
export const MAX_REDIS_URL_LENGTH = 2048;

/**
 * Parses a `--queue` value.
 * @throws InputError naming the flag, the value and what was expected
 */
export function parseRedisUrl(text: string, flag = "--queue"): RedisTarget {
  const expected = `expected redis://HOST:PORT[/DB], e.g. redis://127.0.0.1:6379/0`;
  if (text.length > MAX_REDIS_URL_LENGTH)
    throw new InputError(
      `${flag}: the URL is ${text.length} characters long; the limit is ${MAX_REDIS_URL_LENGTH}`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${flag} ${JSON.stringify(redact(text))}: not a URL; ${expected}`);
  }
  if (url.protocol !== "redis:")
    throw new InputError(
      `${flag} ${JSON.stringify(redact(text))}: scheme ${JSON.stringify(url.protocol.replace(/:$/, ""))} is not supported; ${expected}`,
    );
  const shown = redact(text);
  if (url.hostname === "") throw new InputError(`${flag} ${JSON.stringify(shown)}: no host; ${expected}`);
  if (url.search !== "" || url.hash !== "")
    throw new InputError(`${flag} ${JSON.stringify(shown)}: no query or fragment allowed; ${expected}`);
  const port = url.port === "" ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InputError(`${flag} ${JSON.stringify(shown)}: port must be 1 to 65535; ${expected}`);
  const path = url.pathname.replace(/^\//, "");
  let db = 0;
  if (path !== "") {
    if (!/^\d{1,5}$/.test(path) || Number(path) > 65535)
      throw new InputError(
        `${flag} ${JSON.stringify(shown)}: the database after / must be a number (0 to 65535), got ${JSON.stringify(path)}; ${expected}`,
      );
    db = Number(path);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const unescape = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new InputError(
        `${flag} ${JSON.stringify(shown)}: the ${what} has a malformed %-escape; ${expected}`,
      );
    }
  };
  return {
    host,
    port,
    db,
    ...(url.password !== "" ? { password: unescape(url.password, "password") } : {}),
    ...(url.username !== "" ? { username: unescape(url.username, "user name") } : {}),
    shown,
  };
}

/**
 * `text` with everything between `//` (or the start) and the last `@` — user and password — replaced
 * by `***`, whether or not the rest is a valid URL (a mistyped scheme must not print a password).
 */
function redact(text: string): string {
  const at = text.lastIndexOf("@");
  if (at < 0) return text;
  const slashes = text.indexOf("//");
  const from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${text.slice(0, from)}***${text.slice(at)}`;
}
