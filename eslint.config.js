// ESLint flat config: typescript-eslint's recommended rules plus the layering rules of DESIGN.md §3.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "reports/",
      "node_modules/",
      "dashboard/dist/",
      ".bench-cache/",
      ".cache/",
      "test-output/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use a seeded stream from engine/random." },
      ],
    },
  },
  {
    files: ["engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/sim/**", "**/cli/**", "**/dashboard/**", "**/bench/**"],
              message: "engine/ is domain-free (DESIGN.md §3).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["sim/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/cli/**", "**/bench/**", "**/scenarios/**", "**/dashboard/src/**"],
              message: "sim/ must not depend on cli, bench, scenarios or the dashboard app (DESIGN.md §3).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["sim/run-format/**/*.ts"],
    ignores: ["sim/run-format/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!\\.\\./engine/)",
              message:
                "sim/run-format is the run-output format the dashboard imports: zod, data and engine/ only, no simulation code (DESIGN.md §3, §4).",
            },
          ],
        },
      ],
    },
  },
);
