import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

const PROBE_TIMEOUT_MS = 5_000;

/**
 * One line saying why the database at `databaseUrl` cannot be reached, or null when it answers.
 * Start-up prints this instead of a driver's stack trace; the password never appears.
 */
export async function unreachableDatabaseReason(databaseUrl: string): Promise<string | null> {
  const config = parseIntoClientConfig(databaseUrl);
  const where = `${config.host ?? "localhost"}:${config.port ?? 5432}/${config.database ?? ""}`;
  const client = new pg.Client({ ...config, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    // The server answered: a missing database is created by the migration runner.
    if ((error as { code?: string }).code === "3D000") return null;
    const detail = error instanceof Error ? ((error as Error & { code?: string }).code ?? error.message) : String(error);
    return `Cannot reach the database at DATABASE_URL (${where}): ${detail}. Check that PostgreSQL is running and DATABASE_URL is right.`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
