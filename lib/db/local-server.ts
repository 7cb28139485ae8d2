import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { embeddedDatabaseUrl, runningPostmaster, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./embedded";

export const LOCAL_DATA_DIR = path.resolve(process.env.LATCHKEY_DATA_DIR ?? ".data");
const LOCAL_PG_DIR = path.join(LOCAL_DATA_DIR, "pg");
const DATABASE = "latchkey";

/**
 * The zero-configuration database: a PostgreSQL server of the app's own whose data lives under
 * `.data/pg` and survives restarts. Returns the URL of the `latchkey` database on it.
 */
export async function startLocalDatabase(): Promise<{ url: string; server: EmbeddedPostgresHandle }> {
  const server = await startEmbeddedPostgres({ dataDir: LOCAL_PG_DIR, persistent: true });
  return { url: embeddedDatabaseUrl(server.port, DATABASE), server };
}

/** The URL of the local database when a server of this checkout (`npm run dev`/`npm start`) already runs it. */
export function localDatabaseUrlIfRunning(): string | null {
  const port = runningPostmaster(LOCAL_PG_DIR)?.port;
  return port ? embeddedDatabaseUrl(port, DATABASE) : null;
}

/**
 * A random secret kept in `.data/auth-secret`, so development needs no configuration and
 * sessions survive restarts. Production must set AUTH_SECRET (lib/env.ts refuses to start without).
 */
export async function localAuthSecret(): Promise<string> {
  return localSecret("auth-secret", () => randomBytes(32).toString("base64url"));
}

/** A secret kept in `.data/<name>`, made by `generate` the first time. */
export async function localSecret(name: string, generate: () => string): Promise<string> {
  const file = path.join(LOCAL_DATA_DIR, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(LOCAL_DATA_DIR, { recursive: true });
  const secret = generate();
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
