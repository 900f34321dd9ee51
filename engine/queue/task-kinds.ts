/**
 * The kinds of task that may travel on the queue: a name, the worker module that runs it on a
 * piscina pool and the same handler for in-thread use (engine/pool/task-pool.ts). The coordinator
 * finds a task's kind by the worker module the caller of `runTasks` names; a worker runs only the
 * kinds of its table, so a job can never make it load other code. The table is built by the CLI
 * (cli/worker-command.ts) and passed explicitly.
 * @module
 */
import type { RunTasksOptions, TaskHandler } from "../pool/task-pool.js";

export interface TaskKind {
  workerUrl: URL;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table holds handlers of several task types
  handler: TaskHandler<any, any>;
  /**
   * What of a task travels on the queue, when not all of it: drops parts that only speed a run up
   * and are cheaper to recompute than to send (the result must not change; the tests compare).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as handler
  toQueue?: (task: any) => unknown;
}

export type TaskKinds = Readonly<Record<string, TaskKind>>;

/** Anything with `runTasks`'s signature: the local pool, or the queue (coordinator.ts). */
export type TaskRunner = <T, R>(tasks: T[], options: RunTasksOptions<T, R>) => Promise<R[]>;

/** The name of the kind whose worker module is `workerUrl`. @throws Error when none is */
export function kindOf(kinds: TaskKinds, workerUrl: URL): string {
  for (const [name, k] of Object.entries(kinds)) if (k.workerUrl.href === workerUrl.href) return name;
  throw new Error(
    `queue: no task kind runs ${workerUrl.href}; add it to the kind table (cli/worker-command.ts)`,
  );
}
