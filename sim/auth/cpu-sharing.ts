/**
 * Threads sharing a machine's cores (weighted processor sharing, the fluid form of Linux's fair
 * scheduler: each runnable thread gets CPU in proportion to its weight — 1024 at nice 0, 9548 at
 * nice −10, kernel/sched/core.c `sched_prio_to_weight` — and never more than one core). The service
 * twin (service-twin.ts) runs the live service's main thread, its pool threads and the load
 * generator on it, so that a thread which is ready but waits for a core is delayed as the live one
 * is. Other processes' use of the machine enters in one of two measured ways: a constant share of
 * the cores taken away (`backgroundCores`), or, better for threads that sleep between short bursts
 * (the scheduler lets a waking thread in ahead of CPU-bound ones), a wait for a core each time a
 * thread wakes from idle (`wakeWait`: e.g. the thread's run-queue delay per time slice, from
 * /proc's schedstat over the same step).
 *
 * Each thread serves its jobs FIFO; a job is CPU work in ms. Threads may share one queue (a pool:
 * an idle thread takes the next job). Time advances on engine/des's {@link Environment}: a job's
 * end is recomputed whenever the set of runnable threads changes (a stale end is ignored).
 * @module
 */
import type { Environment } from "../../engine/des/index.js";

/** CFS weight of a nice 0 thread and of a nice −10 one (kernel/sched/core.c). */
export const NICE_WEIGHT = { 0: 1024, [-10]: 9548 } as const;

interface Job {
  work: number;
  readonly done: (t: number) => void;
}

/** A FIFO queue of jobs, served by one thread or shared by several. */
export class JobQueue {
  readonly #jobs: Job[] = [];
  #head = 0;
  readonly threads: CpuThread[] = [];

  get length(): number {
    return this.#jobs.length - this.#head;
  }

  push(job: Job, front: boolean): void {
    if (front && this.#head > 0) this.#jobs[--this.#head] = job;
    else if (front) this.#jobs.unshift(job);
    else this.#jobs.push(job);
  }

  shift(): Job | undefined {
    if (this.#head >= this.#jobs.length) return undefined;
    const j = this.#jobs[this.#head]!;
    this.#jobs[this.#head++] = undefined as unknown as Job;
    if (this.#head > 4096 && this.#head * 2 > this.#jobs.length) {
      this.#jobs.splice(0, this.#head);
      this.#head = 0;
    }
    return j;
  }
}

/** One thread: its weight, the queue it serves, the job it runs. */
export class CpuThread {
  current: Job | undefined;
  rate = 0;
  /** CPU ms done. */
  busyMs = 0;
  /** A thread woken from idle waits for a core until then (see `wakeWait`). */
  readyAt = 0;
  constructor(
    readonly weight: number,
    readonly queue: JobQueue,
    /** Wait for a core when the thread wakes from idle (ms; sampled per wake-up), e.g. measured run-queue delay. */
    readonly wakeWait: () => number = () => 0,
  ) {
    queue.threads.push(this);
  }
}

/** The machine: `cores` shared by the threads, minus `backgroundCores` used by other processes. */
export class CpuSharing {
  readonly #threads: CpuThread[] = [];
  readonly #capacity: number;
  #last = 0;
  #generation = 0;

  constructor(
    readonly env: Environment,
    cores: number,
    backgroundCores: number,
  ) {
    // At least a tenth of a core stays ours: a measured background at or above the core count
    // would otherwise stop the service for ever.
    this.#capacity = Math.max(0.1, cores - backgroundCores);
  }

  thread(weight: number, queue = new JobQueue(), wakeWait?: () => number): CpuThread {
    const t = new CpuThread(weight, queue, wakeWait);
    this.#threads.push(t);
    return t;
  }

  /** Adds a job of `work` CPU ms to `queue`; `done(t)` is called when it ends. */
  submit(queue: JobQueue, work: number, done: (t: number) => void, front = false): void {
    this.#advance();
    queue.push({ work, done }, front);
    for (const t of queue.threads)
      if (!t.current) {
        // Woken from idle: it waits for a core before it runs.
        t.readyAt = this.env.now + t.wakeWait();
        this.#start(t);
      }
    this.#reschedule();
  }

  #start(t: CpuThread): void {
    t.current = t.queue.shift();
  }

  /** Progress of every running job up to now. */
  #advance(): void {
    const now = this.env.now;
    const dt = now - this.#last;
    this.#last = now;
    if (dt <= 0) return;
    for (const t of this.#threads)
      if (t.current) {
        const w = t.rate * dt;
        t.current.work -= w;
        t.busyMs += w;
      }
  }

  /** Weighted shares of the capacity, at most one core each (water-filling). */
  #rates(): void {
    let capacity = this.#capacity;
    const open: CpuThread[] = [];
    const now = this.env.now;
    for (const t of this.#threads) {
      t.rate = 0;
      if (t.current && t.readyAt <= now) open.push(t);
    }
    for (let capped = true; capped && open.length > 0;) {
      capped = false;
      const weights = open.reduce((a, t) => a + t.weight, 0);
      for (let i = open.length - 1; i >= 0; i--) {
        const t = open[i]!;
        if ((t.weight * capacity) / weights >= 1) {
          t.rate = 1;
          capacity -= 1;
          open.splice(i, 1);
          capped = true;
        }
      }
      if (!capped) for (const t of open) t.rate = (t.weight * capacity) / weights;
    }
  }

  #reschedule(): void {
    this.#rates();
    let next = Number.POSITIVE_INFINITY;
    const now = this.env.now;
    for (const t of this.#threads)
      if (t.current && t.rate > 0) next = Math.min(next, Math.max(0, t.current.work) / t.rate);
      else if (t.current && t.readyAt > now) next = Math.min(next, t.readyAt - now);
    if (next === Number.POSITIVE_INFINITY) return;
    const g = ++this.#generation;
    this.env.at(this.env.now + next, () => {
      if (g === this.#generation) this.#complete();
    });
  }

  #complete(): void {
    this.#advance();
    const finished: Job[] = [];
    for (const t of this.#threads)
      if (t.current && t.current.work <= 1e-9 && t.readyAt <= this.env.now) {
        finished.push(t.current);
        this.#start(t);
      }
    for (const j of finished) j.done(this.env.now);
    this.#reschedule();
  }
}
