// Generates the Prisma client after `npm install`. PRISMA_SCHEMA_ENGINE_BINARY points at /bin/false
// because `prisma generate` does not need the native schema engine, and downloading it fails offline.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync("prisma/schema.prisma")) {
  const result = spawnSync("npx", ["prisma", "generate"], {
    stdio: "inherit",
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  process.exit(result.status ?? 1);
}
