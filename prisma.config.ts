import { defineConfig } from "prisma/config";

// The URL only matters to Prisma CLI commands that talk to a database; `prisma generate` needs none.
// Migrations are applied by the project's own runner (lib/db/migrations.ts), not by the CLI.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/latchkey" },
});
