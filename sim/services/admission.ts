/**
 * Bounded admission (DESIGN.md §5 services: "bounded queues with 429 + Retry-After"): at most
 * `maxInFlight` requests run at once; up to `queue` more wait in FIFO order, each at most
 * `maxWaitMs`; anything beyond is refused at once. The queue never grows past its bound, so
 * overload turns into fast 429s rather than memory and latency without limit (tessera's pushback,
 * sunlight's bounded pool: STYLE-ANCHORS "services").
 * @module
 */
import { InputError } from "../../engine/errors.js";

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Requests served at once (≥ 1). */
  readonly maxInFlight: number;
  /** Requests that may wait for a slot (≥ 0). */
  readonly queue: number;
  /** Longest wait in the queue before the request is shed (ms, ≥ 1). */
  readonly maxWaitMs: number;
}

/** Why a request was not admitted (`client_closed`: its client disconnected while it waited). */
export type ShedReason = "queue_full" | "wait_timeout" | "draining" | "client_closed";

/** The rejection of {@link Admission.acquire}. */
export class ShedError extends Error {
  constructor(readonly reason: ShedReason) {
    super(`request shed: ${reason}`);
    this.name = "ShedError";
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  shed: (e: ShedError) => void;
  timer: NodeJS.Timeout;
}

/** Checks admission options. @throws InputError naming the option */
export function checkAdmissionOptions(o: AdmissionOptions): AdmissionOptions {
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new InputError(
        `--${name}: expected a whole number from ${min} to ${max}, got ${v}`,
        "E_SERVE_ARGS",
      );
  };
  whole("max-inflight", o.maxInFlight, 1, 100_000);
  whole("queue", o.queue, 0, 1_000_000);
  whole("queue-timeout-ms", o.maxWaitMs, 1, 600_000);
  return o;
}

/** The admission gate of one service. */
export class Admission {
  readonly options: AdmissionOptions;
  #inFlight = 0;
  readonly #waiting: Waiter[] = [];
  #head = 0;
  #draining = false;
  #idle: (() => void)[] = [];

  constructor(options: AdmissionOptions) {
    this.options = checkAdmissionOptions(options);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queueDepth(): number {
    return this.#waiting.length - this.#head;
  }

  /** Whether a request arriving now would wait for a slot (or be refused) rather than start at once. */
  get wouldWait(): boolean {
    return this.#draining || this.#inFlight >= this.options.maxInFlight || this.queueDepth > 0;
  }

  /**
   * A slot: resolves with its release function (call it exactly once when the request is done), or
   * rejects with a {@link ShedError} when the request must be refused. When `signal` aborts (the
   * client disconnected) while the request waits, it leaves the queue at once and is refused with
   * `client_closed`, so no work is done for an answer nobody will read.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new ShedError("client_closed"));
    if (this.#draining) return Promise.reject(new ShedError("draining"));
    if (this.#inFlight < this.options.maxInFlight && this.queueDepth === 0) {
      this.#inFlight++;
      return Promise.resolve(this.#releaser());
    }
    if (this.queueDepth >= this.options.queue) return Promise.reject(new ShedError("queue_full"));
    return new Promise<() => void>((resolve, reject) => {
      const leave = (reason: ShedReason) => {
        const i = this.#waiting.indexOf(w, this.#head);
        if (i < 0) return;
        this.#waiting.splice(i, 1);
        clearTimeout(w.timer);
        signal?.removeEventListener("abort", onAbort);
        reject(new ShedError(reason));
        this.#next();
      };
      const onAbort = () => leave("client_closed");
      const w: Waiter = {
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        shed: reject,
        timer: setTimeout(() => leave("wait_timeout"), this.options.maxWaitMs),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(w);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight--;
      this.#next();
    };
  }

  #next(): void {
    while (this.#inFlight < this.options.maxInFlight && this.queueDepth > 0) {
      const w = this.#waiting[this.#head++]!;
      clearTimeout(w.timer);
      this.#inFlight++;
      w.grant(this.#releaser());
    }
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#inFlight === 0 && this.queueDepth === 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const f of idle) f();
    }
  }

  /**
   * Stops admitting (new requests are shed with `draining`); queued requests still run. Resolves
   * when nothing is in flight or queued.
   */
  drain(): Promise<void> {
    this.#draining = true;
    if (this.#inFlight === 0 && this.queueDepth === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
