/**
 * Connections to the queue's Redis: a first connection that either answers within a deadline or
 * becomes one clear {@link InputError} naming the URL and the reason (refused, unknown host, not
 * Redis, wrong database, password), and the connection options the BullMQ objects use afterwards
 * (they reconnect on their own; the coordinator and worker decide when a Redis that went away is
 * gone: {@link LOST_AFTER_MS}).
 * @module
 */
import type { ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { InputError } from "../errors.js";
import type { RedisTarget } from "./redis-url.js";

/** How long Redis may not answer, mid-run, before the run fails. */
export const LOST_AFTER_MS = 10_000;

/** How long one command may take before it counts as unanswered (and is retried by the caller). */
export const COMMAND_TIMEOUT_MS = 5_000;

/** How long the first connection may take. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** A Redis went away or answered wrongly after the first connection. */
export class QueueLostError extends InputError {
  constructor(message: string) {
    super(message, "E_QUEUE_LOST");
  }
}

/** Options for BullMQ's own connections to `target` (reconnect every ≤ 1 s, forever). */
export function bullConnection(target: RedisTarget, name: string): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.username !== undefined ? { username: target.username } : {}),
    connectionName: name,
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (n: number) => Math.min(100 * n, 1000),
  };
}

/**
 * Connects to `target`, checks it is a Redis that answers PING and has the database, and returns
 * the client (commands time out after {@link COMMAND_TIMEOUT_MS}; it reconnects on its own).
 * @throws InputError naming the URL and the reason
 */
export async function connectRedis(target: RedisTarget, name: string): Promise<Redis> {
  let connected = false;
  let lastError = "";
  const client = new Redis({
    host: target.host,
    port: target.port,
    db: 0,
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.username !== undefined ? { username: target.username } : {}),
    connectionName: name,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // No retry for the first connection (it fails at once, with its reason); then every ≤ 1 s.
    retryStrategy: (n: number) => (connected ? Math.min(100 * n, 1000) : null),
  });
  client.on("error", (e: Error) => (lastError = e.message));
  const fail = (why: string): never => {
    client.disconnect();
    throw new InputError(`--queue ${target.shown}: cannot use Redis there: ${why}`, "E_QUEUE_CONNECT");
  };
  const deadline = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
          CONNECT_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
  try {
    await deadline(client.connect());
  } catch (e) {
    fail(lastError || (e as Error).message);
  }
  try {
    const pong = await deadline(client.ping());
    if (pong !== "PONG") fail(`it answered PING with ${JSON.stringify(String(pong)).slice(0, 40)}`);
    if (target.db !== 0) await deadline(client.select(target.db));
  } catch (e) {
    fail((e as Error).message.replace(/^ERR /, ""));
  }
  client.options.db = target.db; // so a reconnection selects it again
  connected = true;
  return client;
}
