/**
 * Durable file replacement, the discipline a card's EEPROM write stands for here (DESIGN.md §9: "a
 * simulated card persists each PIN-counter change before it answers"): write a temporary sibling,
 * fsync it, rename it over the target (or hard-link it into place when the target must not exist
 * yet), then fsync the directory so the rename itself survives a power cut (POSIX rename(2) is
 * atomic; the directory fsync makes it durable, as in SQLite's and PostgreSQL's write paths). After
 * a crash the target holds either the old or the new bytes, never a mix.
 * @module
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Options of {@link writeFileDurably}. */
export interface DurableWriteOptions {
  /** File mode of a new file (default 0600). */
  readonly mode?: number;
  /** Fail with `EEXIST` instead of replacing an existing target. */
  readonly exclusive?: boolean;
}

/** fsync a directory, so a rename or link inside it is on disk. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replace (or, with `exclusive`, create) `file` with `bytes` durably: temp file, fsync, rename or
 * link, fsync of the directory. Errors are the file system's own (`ENOENT`, `EACCES`, `EEXIST`, `ENOSPC`, …);
 * the temporary file is removed on failure.
 */
export function writeFileDurably(
  file: string,
  bytes: string | Uint8Array,
  options: DurableWriteOptions = {},
): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", options.mode ?? 0o600);
  let placed = false;
  try {
    try {
      const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
      for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.exclusive) linkSync(tmp, file);
    else renameSync(tmp, file);
    placed = !options.exclusive;
  } finally {
    if (!placed) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
  fsyncDirectory(dir);
}
