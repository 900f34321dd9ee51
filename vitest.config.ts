import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "engine/**/*.test.ts",
      "sim/**/*.test.ts",
      "cli/**/*.test.ts",
      "scenarios/**/*.test.ts",
      "dashboard/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
