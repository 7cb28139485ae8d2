import type { TestProject } from "vitest/node";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrations";
import { databaseUrlFor, TEMPLATE_DATABASE } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the `postgres` database of this run's throwaway PostgreSQL server. */
    postgresServerUrl: string;
  }
}

/** One throwaway PostgreSQL cluster per test run, with a migrated template database. */
export default async function setup(project: TestProject) {
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-test-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
  await applyMigrations(databaseUrlFor(server.url, TEMPLATE_DATABASE));
  project.provide("postgresServerUrl", server.url);
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}
