import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./embedded";

export const LOCAL_DATA_DIR = path.resolve(process.env.LATCHKEY_DATA_DIR ?? ".data");

/**
 * The zero-configuration database: a PostgreSQL server of the app's own whose data lives under
 * `.data/pg` and survives restarts. Returns the URL of the `latchkey` database on it.
 */
export async function startLocalDatabase(): Promise<{ url: string; server: EmbeddedPostgresHandle }> {
  const server = await startEmbeddedPostgres({ dataDir: path.join(LOCAL_DATA_DIR, "pg"), persistent: true });
  const url = new URL(server.url);
  url.pathname = "/latchkey";
  return { url: url.toString(), server };
}

/**
 * A random secret kept in `.data/auth-secret`, so development needs no configuration and
 * sessions survive restarts. Production must set AUTH_SECRET (lib/env.ts refuses to start without).
 */
export async function localAuthSecret(): Promise<string> {
  const file = path.join(LOCAL_DATA_DIR, "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(LOCAL_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
