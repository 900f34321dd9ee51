/**
 * A one-line progress bar on stderr for TTYs: simulated date, percent and kernel events per second.
 * Silent when stderr is not a terminal (CI, pipes), so logs stay clean.
 * @module
 */
import { formatIsoDate } from "../engine/calendar.js";

export class ProgressBar {
  readonly #enabled: boolean;
  readonly #startDay: number;
  readonly #days: number;
  readonly #done: Float64Array;
  readonly #events: Float64Array;
  readonly #t0 = performance.now();
  #last = 0;

  constructor(opts: { startDay: number; days: number; tasks: number; enabled?: boolean }) {
    this.#enabled = opts.enabled ?? Boolean(process.stderr.isTTY);
    this.#startDay = opts.startDay;
    this.#days = opts.days;
    this.#done = new Float64Array(opts.tasks);
    this.#events = new Float64Array(opts.tasks);
  }

  /** Task `task` has simulated up to `day` with `events` kernel events. */
  update(task: number, day: number, events: number): void {
    if (!this.#enabled) return;
    this.#done[task] = day - this.#startDay + 1;
    this.#events[task] = events;
    const now = performance.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    const total = this.#days * this.#done.length;
    const done = this.#done.reduce((a, b) => a + b, 0);
    const pct = total > 0 ? done / total : 1;
    const width = 30;
    const filled = Math.round(pct * width);
    const processed = this.#events.reduce((a, b) => a + b, 0);
    const rate = processed / Math.max(1e-3, (now - this.#t0) / 1000);
    const minDay = this.#startDay + Math.min(...this.#done) - 1;
    process.stderr.write(
      `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(pct * 100).toFixed(0).padStart(3)}%  ` +
        `${formatIsoDate(Math.max(this.#startDay, minDay))}  ${Math.round(rate).toLocaleString("en-US")} events/s `,
    );
  }

  /** Clears the line. */
  finish(): void {
    if (this.#enabled) process.stderr.write("\r\x1b[2K");
  }
}
