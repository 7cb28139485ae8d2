// The programs from Debian's archive that the test suite runs, in one table: Chromium (e2e, when
// Playwright's own browser is absent), PgBouncer (the pooled suite), and PostgreSQL 15, Patroni,
// etcd and HAProxy (the failover and point-in-time-recovery system tests). `npm test` must work on
// a fresh machine: when one is missing it installs them with apt-get (as root), or stops with one
// line saying what to install.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const SYSTEM_TOOLS = {
  chromium: { executable: "/usr/bin/chromium", aptPackage: "chromium" },
  pgbouncer: { executable: "/usr/sbin/pgbouncer", aptPackage: "pgbouncer" },
  postgresql: { executable: "/usr/lib/postgresql/15/bin/postgres", aptPackage: "postgresql-15" },
  patroni: { executable: "/usr/bin/patroni", aptPackage: "patroni" },
  etcd: { executable: "/usr/bin/etcd", aptPackage: "etcd-server" },
  haproxy: { executable: "/usr/sbin/haproxy", aptPackage: "haproxy" },
} as const;

export type SystemTool = keyof typeof SYSTEM_TOOLS;

/** Debian's PostgreSQL 15 programs (initdb, pg_ctl, pg_basebackup, pg_rewind…), Patroni's bin_dir. */
export const POSTGRES_BIN_DIR = path.dirname(SYSTEM_TOOLS.postgresql.executable);

export type EnsureOptions = {
  /** Where the executables are looked for ("/" but in the test of this module). */
  root?: string;
  /** Environment of apt-get; its PATH decides whether apt-get exists at all. */
  env?: NodeJS.ProcessEnv;
  /** Whether this process may install (root); defaults to the real uid. */
  isRoot?: boolean;
};

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

/** The tools of `tools` whose executable is absent under `root`. */
export function missingTools(tools: readonly SystemTool[], root = "/"): SystemTool[] {
  return tools.filter((tool) => !existsSync(path.join(root, SYSTEM_TOOLS[tool].executable)));
}

/**
 * Makes sure every tool of `tools` is installed: installs the missing ones with apt-get when this
 * process is root on a Debian-like system, else throws one line naming the command to run.
 */
export function ensureSystemTools(tools: readonly SystemTool[], options: EnsureOptions = {}): void {
  const root = options.root ?? "/";
  const env = options.env ?? process.env;
  const missing = missingTools(tools, root);
  if (missing.length === 0) return;
  const packages = missing.map((tool) => SYSTEM_TOOLS[tool].aptPackage);
  const install = ["install", "-y", "--no-install-recommends", ...packages];
  if (!(options.isRoot ?? process.getuid?.() === 0) || !onPath("apt-get", env)) {
    throw new Error(`The test suite needs ${packages.join(", ")}: install with \`sudo apt-get update && sudo apt-get ${install.join(" ")}\` (Debian/Ubuntu), then run it again.`);
  }
  console.log(`Installing what the test suite needs from Debian's archive: ${packages.join(" ")}…`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env: aptEnv });
  execFileSync("apt-get", install, { stdio: "inherit", env: aptEnv });
  const stillMissing = missingTools(missing, root);
  if (stillMissing.length > 0) throw new Error(`apt-get ran, but ${stillMissing.map((tool) => SYSTEM_TOOLS[tool].executable).join(", ")} is still missing.`);
}
