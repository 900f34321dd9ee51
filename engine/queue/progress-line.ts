/**
 * The coordinator's progress line on stderr (issue 13 item 3): tasks done (and how many were
 * already in Redis), running, waiting, failed attempts (retried: a task that fails every attempt
 * ends the run) and workers alive. Silent when stderr is
 * not a terminal, like cli/progress.ts, so logs stay clean.
 * @module
 */
import type { QueueProgress } from "./coordinator.js";

/** One line of progress, as printed. */
export function progressText(p: QueueProgress): string {
  const resumed = p.resumed > 0 ? ` (${p.resumed} from earlier)` : "";
  return (
    `queue: ${p.done}/${p.total} done${resumed} · ${p.running} running · ${p.waiting} waiting · ` +
    `${p.retried} failed attempt${p.retried === 1 ? "" : "s"} (retried) · ${p.workers} worker${p.workers === 1 ? "" : "s"} alive`
  );
}

export class QueueProgressLine {
  readonly #enabled: boolean;
  #last = 0;

  constructor(enabled = Boolean(process.stderr.isTTY)) {
    this.#enabled = enabled;
  }

  update(p: QueueProgress): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (now - this.#last < 100 && p.done < p.total) return;
    this.#last = now;
    process.stderr.write(`\r\x1b[2K${progressText(p)}`);
  }

  /** Clears the line. */
  finish(): void {
    if (this.#enabled) process.stderr.write("\r\x1b[2K");
  }
}
