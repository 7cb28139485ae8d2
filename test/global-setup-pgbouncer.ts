import type { TestProject } from "vitest/node";
import setupPostgres from "./global-setup";
import { startPgBouncer } from "./pgbouncer";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set under vitest.pgbouncer.config.ts: the app's queries go through this pgbouncer port. */
    pooledServerPort?: number;
  }
}

/** The usual throwaway PostgreSQL with pgbouncer (transaction mode) in front of it. */
export default async function setup(project: TestProject) {
  const teardownPostgres = await setupPostgres(project);
  const pgbouncer = await startPgBouncer(project.getProvidedContext().postgresServerUrl);
  project.provide("pooledServerPort", pgbouncer.port);
  return async () => {
    await pgbouncer.stop();
    await teardownPostgres();
  };
}
