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
    // Vitest's default on 2 cores is one worker (cores − 1); these tests spend much of their time
    // waiting on PostgreSQL, a process of its own, so a second file in flight uses the idle core.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
