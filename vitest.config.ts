import { defineConfig } from "vitest/config";
import path from "node:path";

// Integration tests run against a real PostgreSQL that test/global-setup.ts starts for the run;
// every test file gets its own database cloned from a migrated template (test/setup-database.ts).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
