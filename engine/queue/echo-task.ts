/**
 * The empty task: returns its input. Used to measure the queue's own cost per task
 * (bench/queue.ts) and to check that workers answer.
 * @module
 */
export function echoTask<T>(task: T): T {
  return task;
}

/** The worker module that runs {@link echoTask} on a pool. */
export const ECHO_WORKER = new URL("./echo-worker.js", import.meta.url);
