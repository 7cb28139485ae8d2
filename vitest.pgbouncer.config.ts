import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// The API and account integration suites again, with PgBouncer in transaction mode between the
// app and PostgreSQL (how Latchkey runs at scale): no prepared statements kept across
// transactions, no session-level locks or settings (docs/operations.md).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["lib/api/api.test.ts", "lib/accounts/accounts.test.ts"],
    globalSetup: ["test/global-setup-pgbouncer.ts"],
  },
});
