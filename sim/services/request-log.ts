/**
 * Structured logs of the live service: one JSON object per line, pino-like fields (`level` as a
 * number — 30 info, 40 warn, 50 error —, `time` epoch ms, `msg`), one line per request with its id,
 * method, route, status, error code and duration. 4xx are info, 5xx error (fastify's rule,
 * STYLE-ANCHORS "services"). The sink is passed in: stderr, a file, or an array in tests.
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";
import { OutputError } from "../../engine/errors.js";

/** Longest time a log line waits in memory before it is written to a log file. */
export const FILE_FLUSH_MS = 50;

/** pino's numeric levels. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** One log record before serialisation. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Where log lines go. */
export interface LogSink {
  write(line: string): void;
  /** Flushes and closes (files); a no-op for stderr. */
  close(): Promise<void>;
}

/** A JSON-lines logger over a {@link LogSink}. */
export class ServiceLogger {
  constructor(
    readonly sink: LogSink,
    readonly name = "myna-twin-serve",
  ) {}

  #emit(level: number, msg: string, fields: LogFields): void {
    this.sink.write(`${JSON.stringify({ level, time: Date.now(), name: this.name, msg, ...fields })}\n`);
  }

  info(msg: string, fields: LogFields = {}): void {
    this.#emit(LEVEL.info, msg, fields);
  }

  warn(msg: string, fields: LogFields = {}): void {
    this.#emit(LEVEL.warn, msg, fields);
  }

  error(msg: string, fields: LogFields = {}): void {
    this.#emit(LEVEL.error, msg, fields);
  }
}

/** A sink over a writable stream (stderr is never closed). */
export function streamSink(stream: Writable, closeOnEnd: boolean): LogSink {
  return {
    write: (line) => void stream.write(line),
    close: () =>
      closeOnEnd
        ? new Promise<void>((resolve) => {
            stream.end(() => resolve());
          })
        : Promise.resolve(),
  };
}

/** Bytes of log lines a file sink holds before it writes them. */
export const FILE_BUFFER_BYTES = 65_536;

/**
 * Appends to `path` (created 0600 when absent; a path that cannot be opened is an OutputError, exit 3).
 * Lines are copied into one reused byte buffer and written with one `writeSync` every
 * {@link FILE_FLUSH_MS} ms or {@link FILE_BUFFER_BYTES}, whichever comes first (sonic-boom's way):
 * one write per request through fs.WriteStream cost ≈1 ms of the event loop's time per request on
 * the benchmark machine — more than the verification. The lines are bytes off the JS heap while
 * they wait (kept as strings, they outlived young-generation GCs and were copied and promoted by
 * each). A crash loses at most the last 50 ms of lines.
 */
export function fileSink(path: string): LogSink {
  let fd: number;
  try {
    fd = openSync(path, "a", 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new OutputError(`log file ${path}: cannot open it for appending (${code})`, path, { cause: e });
  }
  const bytes = Buffer.allocUnsafeSlow(FILE_BUFFER_BYTES);
  let used = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (used > 0) writeSync(fd, bytes, 0, used);
    used = 0;
  };
  return {
    write: (line) => {
      // A UTF-8 line takes at most 3 bytes per UTF-16 unit: flush first unless it surely fits.
      if (used + 3 * line.length > FILE_BUFFER_BYTES) flush();
      if (3 * line.length > FILE_BUFFER_BYTES) writeSync(fd, line);
      else used += bytes.write(line, used, "utf8");
      if (used > 0 && !timer) {
        timer = setTimeout(flush, FILE_FLUSH_MS);
        timer.unref();
      }
    },
    close: () => {
      flush();
      closeSync(fd);
      return Promise.resolve();
    },
  };
}

/** Discards every line (`--log off`). */
export const nullSink: LogSink = { write: () => undefined, close: () => Promise.resolve() };

/** Keeps lines in memory (tests). */
export function memorySink(lines: string[] = []): LogSink & { lines: string[] } {
  return { lines, write: (l) => void lines.push(l), close: () => Promise.resolve() };
}
