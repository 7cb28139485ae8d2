// Debian's pgbouncer in transaction mode in front of a test PostgreSQL, the way Latchkey runs at
// scale (docs/operations.md). Every database name is routed to the server (`* = …`), so the
// per-file databases cloned from the template are reachable through it too.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { findFreePort } from "../lib/db/embedded";
import { ensureSystemTools, SYSTEM_TOOLS } from "../scripts/support/system-packages";

export type PgBouncer = { port: number; url: (serverUrl: string) => string; stop(): Promise<void> };

/** Starts pgbouncer for the server of `serverUrl`; `url()` turns a server URL into a pooled one. */
export async function startPgBouncer(serverUrl: string): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const port = await findFreePort();
  const dir = await mkdtemp(path.join(tmpdir(), "latchkey-pgbouncer-"));
  await writeFile(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`);
  await writeFile(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      // Clients on loopback are trusted; pgbouncer logs in to PostgreSQL with the userlist's password.
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 1000",
      "default_pool_size = 20",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // pgbouncer refuses to run as root: as root it runs as the postgres user, which must read the
  // files and write its log and pid file here.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chmod(dir, 0o777);
  ensureSystemTools(["pgbouncer"]);
  const child: ChildProcess = spawn(SYSTEM_TOOLS.pgbouncer.executable, [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitForPort(port, child, () => output);
  return {
    port,
    url(target: string) {
      const pooled = new URL(target);
      pooled.port = String(port);
      return pooled.toString();
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pgbouncer did not listen within 15 s: ${output()}`);
}
