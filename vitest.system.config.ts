import { defineConfig } from "vitest/config";
import path from "node:path";

// System tests: the production build served by scripts/server.ts, with PostgreSQL, SMTP and SMS
// servers that the tests own and can stop (test/system/stack.ts). `next build` must have run:
// `npm test` and `npm run test:system` build first. One file at a time: each starts its own servers.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/system/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
