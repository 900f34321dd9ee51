/**
 * The closed-loop throughput figure of bench:load: autocannon with `connections` requests always
 * open, each new one sent when an answer arrives. A throughput figure only: its latencies suffer
 * from coordinated omission and are not used (DESIGN.md §8, ANCHORS §8.5).
 * @module
 */
import autocannon from "autocannon";

/** A closed-loop run: `amount` requests over `connections` connections. */
export interface ClosedLoopPlan {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodies: readonly string[];
  readonly amount: number;
  readonly connections: number;
}

/** What a closed-loop run did: answers by class, and 2xx answers per second of the run. */
export interface ClosedLoopResult {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  /** From the start to the last answer. */
  readonly seconds: number;
  readonly okPerSecond: number;
}

/**
 * One autocannon run. Its own `duration` is no use for a run of `amount` requests: autocannon notices
 * the last answer only at its next 1 s sample, so the duration is rounded up to whole seconds (4,000
 * verifications answered in 0.3 s counted as 1.02 s). The run's time here is from the start to the
 * last answer, on this process's monotonic clock.
 */
export async function closedLoop(p: ClosedLoopPlan): Promise<ClosedLoopResult> {
  let k = 0;
  const start = performance.now();
  let last = start;
  const run = autocannon({
    url: p.url,
    connections: p.connections,
    amount: p.amount,
    requests: [
      {
        method: p.method,
        path: p.path,
        headers: p.headers,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: p.bodies[k++ % p.bodies.length] }),
      },
    ],
  });
  run.on("response", () => {
    last = performance.now();
  });
  const r = await run;
  const seconds = (last - start) / 1000;
  const ok = r["2xx"];
  return { ok, non2xx: r.non2xx, errors: r.errors + r.timeouts, seconds, okPerSecond: ok / seconds };
}
