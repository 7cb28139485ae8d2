import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Journeys run under the CSP guard only when `test` comes from e2e/fixtures.ts (ADR 0025).
    files: ["e2e/**/*.spec.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@playwright/test",
              importNames: ["test", "expect"],
              allowTypeImports: true,
              message: "Import test and expect from ./fixtures: every journey runs under the CSP guard.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([".next/**", "lib/generated/**", "node_modules/**", "scratch/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "packages/*/dist/**"]),
]);
