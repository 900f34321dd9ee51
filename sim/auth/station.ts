/**
 * One server pool of the verification path: `servers` identical servers, one FIFO queue, a client
 * deadline. Jobs are offered in time order (from engine/des events), each with its service time
 * drawn on arrival, so the FIFO multi-server recursion gives its start exactly: the job takes the
 * server that frees first (a min-heap of next-free times). A job whose wait would pass its deadline
 * is dropped before it starts (the server checks the deadline, as deadline-propagating services do)
 * and costs nothing; one that starts but finishes after the deadline is served for nothing (the
 * client has already given up). Exact for FIFO G/G/c with reneging at a known patience.
 * @module
 */

/** FIFO c-server pool with a min-heap of the servers' next-free times (ms). */
export class Station {
  readonly servers: number;
  readonly #free: Float64Array;
  /** Service time accepted (ms), for utilisation. */
  busyMs = 0;
  /** Jobs started. */
  started = 0;
  /** Jobs dropped before starting: their wait passed the deadline. */
  dropped = 0;
  /** Sum of waits of started jobs (ms). */
  waitMs = 0;

  constructor(servers: number) {
    if (!Number.isSafeInteger(servers) || servers < 1)
      throw new RangeError(`Station: servers must be ≥ 1, got ${servers}`);
    this.servers = servers;
    this.#free = new Float64Array(servers);
  }

  /**
   * Offer a job arriving at `t` (≥ every earlier offer's `t`) needing `service` ms, whose client waits
   * at most `deadline` ms from `t`. Returns its finish time, or -1 when it was dropped unstarted.
   */
  offer(t: number, service: number, deadline: number): number {
    const heap = this.#free;
    const first = heap[0]!;
    const start = first > t ? first : t;
    if (start - t > deadline) {
      this.dropped++;
      return -1;
    }
    const finish = start + service;
    // Replace the root with `finish` and sift down.
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]! < heap[l]! ? r : l;
      if (heap[c]! >= finish) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = finish;
    this.busyMs += service;
    this.waitMs += start - t;
    this.started++;
    return finish;
  }
}
