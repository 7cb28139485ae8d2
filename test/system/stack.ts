// The production stack for system tests (test/system/*.test.ts) and the e2e server: a throwaway
// PostgreSQL that a test can stop and start again, and the built app served by scripts/server.ts
// (`next build` has run before: scripts/test.ts and scripts/e2e.ts see to it).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { databaseUrlFor } from "../postgres";

export type SystemDatabase = {
  /** URL of the migrated `latchkey` database. */
  url: string;
  port: number;
  /** Stops the server, keeping its data (for outage tests); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and deletes its data. */
  close(): Promise<void>;
};

export async function startSystemDatabase(): Promise<SystemDatabase> {
  const root = await mkdtemp(path.join(tmpdir(), "latchkey-system-"));
  const dataDir = path.join(root, "pg");
  const port = await findFreePort();
  let server: EmbeddedPostgresHandle | null = await startEmbeddedPostgres({ dataDir, port, persistent: true });
  const url = databaseUrlFor(server.url, "latchkey");
  await applyMigrations(url);
  return {
    url,
    port,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startEmbeddedPostgres({ dataDir, port, persistent: true });
    },
    async close() {
      await server?.stop();
      server = null;
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type AppInstance = {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export type AppOptions = {
  databaseUrl: string;
  /** Extra settings; APP_URL, AUTH_SECRET and NODE_ENV have working defaults. */
  env?: Record<string, string>;
  port?: number;
  /** Forward the server's output to this process's (the e2e server does). */
  inheritOutput?: boolean;
};

/** One production server (`scripts/server.ts` over the `next build` output), ready to serve. */
export async function startApp(options: AppOptions): Promise<AppInstance> {
  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "server.ts"), "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // A host name, not an IP: passkeys are bound to it (lib/env.ts refuses an IP host).
      APP_URL: `http://localhost:${port}`,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      CLEANUP_INTERVAL_MINUTES: "0",
      ...options.env,
      DATABASE_URL: options.databaseUrl,
    },
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      // SYSTEM_TEST_VERBOSE=1 shows every server's log while debugging a system test.
      if (options.inheritOutput || process.env.SYSTEM_TEST_VERBOSE === "1") (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const instance: AppInstance = {
    url,
    port,
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitUntilServing(instance, exited);
  return instance;
}

async function waitUntilServing(app: AppInstance, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the app exited before serving:\n${app.output()}`);
    try {
      const response = await fetch(`${app.url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await app.stop("SIGKILL");
  throw new Error(`the app did not serve within 90 s:\n${app.output()}`);
}
