/** The coordinator's progress line says done (and resumed), running, waiting, failed attempts, workers. */
import { describe, expect, it } from "vitest";
import { progressText } from "./progress-line.js";

describe("progressText", () => {
  it("names every count, with singulars", () => {
    expect(
      progressText({ total: 36, done: 12, resumed: 4, running: 2, waiting: 22, retried: 1, workers: 1 }),
    ).toBe(
      "queue: 12/36 done (4 from earlier) · 2 running · 22 waiting · 1 failed attempt (retried) · 1 worker alive",
    );
    expect(
      progressText({ total: 3, done: 0, resumed: 0, running: 0, waiting: 3, retried: 0, workers: 0 }),
    ).toBe("queue: 0/3 done · 0 running · 3 waiting · 0 failed attempts (retried) · 0 workers alive");
  });
});
