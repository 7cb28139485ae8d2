// A high-availability PostgreSQL on loopback, the way docs/operations.md deploys it: three
// PostgreSQL 15 nodes managed by Patroni (synchronous mode: an acknowledged commit is on two
// nodes), a three-member etcd as Patroni's consensus store, and HAProxy sending connections to
// whichever node Patroni's REST API calls primary. Used by `npm run ha:up` / `ha:down`
// (scripts/ha.ts) and by the failover system test. Timings are small (ADR 0061) so a failover
// takes seconds, not the half minute of Patroni's defaults.
//
// Every process is started detached with its output in a log file under the cluster's directory,
// and its process id in pids.json there, so `ha:up` can exit and `ha:down` stop what it started.
import { execFile, spawn } from "node:child_process";
import { chownSync, closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { findFreePort } from "../../lib/db/embedded";
import { ensureSystemTools, POSTGRES_BIN_DIR, SYSTEM_TOOLS } from "../../scripts/support/system-packages";

const run = promisify(execFile);

/** Patroni's dynamic settings (ADR 0061): see docs/operations.md for what each one costs. */
export const HA_TIMINGS = {
  /** Seconds the leader key lives without renewal: the failover time when a primary vanishes. */
  ttl: 10,
  /** Seconds between Patroni's checks: how soon a crashed postmaster is noticed. */
  loop_wait: 1,
  /** Seconds Patroni retries etcd and PostgreSQL before giving up (loop_wait + 2 × this ≤ ttl). */
  retry_timeout: 3,
  /** 0: a crashed primary fails over at once instead of being restarted in place (up to 300 s). */
  primary_start_timeout: 0,
} as const;

const CLUSTER = "latchkey";
const NODE_NAMES = ["node1", "node2", "node3"] as const;
const SUPERUSER_PASSWORD = "ha-superuser";
export const APP_ROLE = { user: "latchkey", password: "ha-latchkey", database: "latchkey" } as const;

export type HaNode = {
  name: string;
  pgPort: number;
  restPort: number;
  etcdClientPort: number;
  etcdPeerPort: number;
  dir: string;
  dataDir: string;
};

export type HaMember = { name: string; role: string; state: string; timeline?: number; lag?: number | string };

type ClusterLayout = { root: string; haproxyPort: number; nodes: HaNode[] };

export type HaCluster = ClusterLayout & {
  /** The app's database through HAProxy (always the primary). */
  appUrl: string;
  /** The superuser on one node directly (bypassing HAProxy), for checks on a given node. */
  nodeUrl(node: HaNode, database?: string): string;
  members(): Promise<HaMember[]>;
  /** The node holding the leader key whose PostgreSQL runs as primary, once there is one. */
  waitForPrimary(options?: { not?: HaNode; timeoutMs?: number }): Promise<HaNode>;
  /** Waits until every node runs on the leader's timeline and the leader has a synchronous standby. */
  waitForHealthy(timeoutMs?: number): Promise<void>;
  killPostmaster(node: HaNode): Promise<void>;
  stopPatroni(node: HaNode, signal?: NodeJS.Signals): Promise<void>;
  startPatroni(node: HaNode): Promise<void>;
  stopEtcd(node: HaNode): Promise<void>;
  startEtcd(node: HaNode): Promise<void>;
  /** `patronictl switchover` from the current leader to `candidate` (in synchronous mode: the synchronous standby). */
  switchover(candidate: HaNode): Promise<string>;
  /** Stops every process (Patroni stops its PostgreSQL) and deletes the directory. */
  down(): Promise<void>;
};

const nodeByName = (layout: ClusterLayout, name: string) => layout.nodes.find((node) => node.name === name)!;

function etcdHosts(layout: ClusterLayout): string {
  return layout.nodes.map((node) => `127.0.0.1:${node.etcdClientPort}`).join(",");
}

function patroniConfig(layout: ClusterLayout, node: HaNode) {
  return {
    scope: CLUSTER,
    name: node.name,
    log: { level: "WARNING" },
    restapi: { listen: `127.0.0.1:${node.restPort}`, connect_address: `127.0.0.1:${node.restPort}` },
    etcd3: { hosts: etcdHosts(layout) },
    bootstrap: {
      dcs: {
        ...HA_TIMINGS,
        maximum_lag_on_failover: 1024 * 1024,
        synchronous_mode: true,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: {
            // Small: three nodes share a test machine.
            shared_buffers: "16MB",
            max_connections: 100,
            wal_log_hints: "on",
            wal_keep_size: "128MB",
            max_wal_senders: 10,
            max_replication_slots: 10,
          },
        },
      },
      initdb: [{ encoding: "UTF8" }, { locale: "C.UTF-8" }, "data-checksums"],
      pg_hba: [
        "local all all trust",
        "host replication replicator 127.0.0.1/32 scram-sha-256",
        "host all all 127.0.0.1/32 scram-sha-256",
      ],
    },
    postgresql: {
      listen: `127.0.0.1:${node.pgPort}`,
      connect_address: `127.0.0.1:${node.pgPort}`,
      data_dir: node.dataDir,
      bin_dir: POSTGRES_BIN_DIR,
      pgpass: path.join(node.dir, "pgpass"),
      // A replica is cloned from the primary at once, not after a spread checkpoint (minutes).
      basebackup: [{ checkpoint: "fast" }],
      authentication: {
        superuser: { username: "postgres", password: SUPERUSER_PASSWORD },
        replication: { username: "replicator", password: SUPERUSER_PASSWORD },
        rewind: { username: "rewinder", password: SUPERUSER_PASSWORD },
      },
      parameters: { unix_socket_directories: node.dir },
    },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  };
}

function haproxyConfig(layout: ClusterLayout): string {
  return [
    "global",
    "  maxconn 1000",
    "defaults",
    "  mode tcp",
    "  timeout connect 2s",
    "  timeout client 30m",
    "  timeout server 30m",
    "  timeout check 1s",
    "listen postgres",
    `  bind 127.0.0.1:${layout.haproxyPort}`,
    "  option httpchk",
    "  http-check send meth GET uri /primary",
    "  http-check expect status 200",
    // Checked every second, down after 2 failures, up after 1; a node marked down has its client
    // connections cut, so the app's pool does not keep talking to a demoted or dead primary.
    "  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions",
    ...layout.nodes.map((node) => `  server ${node.name} 127.0.0.1:${node.pgPort} maxconn 200 check port ${node.restPort}`),
    "",
  ].join("\n");
}

// --- processes -------------------------------------------------------------------------------

type Pids = Record<string, number>;

// Synchronous reads and writes: starts and stops run concurrently, and an asynchronous
// read-modify-write would lose entries (and leave processes that ha:down cannot find).
function readPids(root: string): Pids {
  const file = path.join(root, "pids.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Pids) : {};
}

function savePid(root: string, key: string, pid: number | undefined): void {
  const pids = readPids(root);
  if (pid === undefined) delete pids[key];
  else pids[key] = pid;
  writeFileSync(path.join(root, "pids.json"), JSON.stringify(pids, null, 2));
}

function startProcess(root: string, key: string, command: string, args: string[]): void {
  if (readPids(root)[key] !== undefined) throw new Error(`${key} is already running`);
  const log = openSync(path.join(root, `${key.replace(":", "-")}.log`), "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log], env: { ...process.env, LC_ALL: "C.UTF-8", LANG: "C.UTF-8" } });
  closeSync(log);
  child.unref();
  savePid(root, key, child.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return !alive(pid);
}

/** Signals a process group that startProcess began (detached: the group id is its pid). */
async function stopProcess(root: string, key: string, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 20_000): Promise<void> {
  const pid = readPids(root)[key];
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
  if (!(await waitGone(pid, timeoutMs))) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
    await waitGone(pid, 5_000);
  }
  savePid(root, key, undefined);
}

function postmasterPid(node: HaNode): number | null {
  const file = path.join(node.dataDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

// --- the cluster -----------------------------------------------------------------------------

function etcdArgs(layout: ClusterLayout, node: HaNode, state: "new" | "existing"): string[] {
  return [
    "--name", node.name,
    "--data-dir", path.join(node.dir, "etcd"),
    "--listen-client-urls", `http://127.0.0.1:${node.etcdClientPort}`,
    "--advertise-client-urls", `http://127.0.0.1:${node.etcdClientPort}`,
    "--listen-peer-urls", `http://127.0.0.1:${node.etcdPeerPort}`,
    "--initial-advertise-peer-urls", `http://127.0.0.1:${node.etcdPeerPort}`,
    "--initial-cluster", layout.nodes.map((peer) => `${peer.name}=http://127.0.0.1:${peer.etcdPeerPort}`).join(","),
    "--initial-cluster-state", state,
    "--initial-cluster-token", CLUSTER,
    // Loopback: a quick heartbeat and election keep etcd's own failover well under Patroni's ttl.
    "--heartbeat-interval", "100",
    "--election-timeout", "1000",
  ];
}

async function getJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the cluster in `root` (a new temporary directory by default) and waits until it has a
 * primary with a synchronous standby, the app's role and database exist, and HAProxy routes.
 */
export async function startHaCluster(options: { root?: string } = {}): Promise<HaCluster> {
  ensureSystemTools(["postgresql", "patroni", "etcd", "haproxy"]);
  const root = options.root ?? (await mkdtemp(path.join(tmpdir(), "latchkey-ha-")));
  await mkdir(root, { recursive: true });
  const nodes: HaNode[] = [];
  for (const name of NODE_NAMES) {
    const dir = path.join(root, name);
    const [pgPort, restPort, etcdClientPort, etcdPeerPort] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
    nodes.push({ name, pgPort, restPort, etcdClientPort, etcdPeerPort, dir, dataDir: path.join(dir, "data") });
  }
  const layout: ClusterLayout = { root, haproxyPort: await findFreePort(), nodes };
  await writeFile(path.join(root, "layout.json"), JSON.stringify(layout, null, 2));

  // PostgreSQL refuses to run as root: Patroni and its PostgreSQL run as the postgres user, who
  // must own the node directories (and reach them through root).
  const { uid, gid } = postgresUser();
  chownSync(root, uid, gid);
  for (const node of nodes) {
    await mkdir(node.dir, { recursive: true });
    await writeFile(path.join(node.dir, "patroni.yml"), JSON.stringify(patroniConfig(layout, node), null, 2));
    chownSync(node.dir, uid, gid);
    chownSync(path.join(node.dir, "patroni.yml"), uid, gid);
  }
  await writeFile(path.join(root, "haproxy.cfg"), haproxyConfig(layout));

  const cluster = clusterHandle(layout);
  try {
    await bootstrap(cluster);
  } catch (error) {
    await cluster.down().catch(() => {});
    throw error;
  }
  return cluster;
}

async function bootstrap(cluster: HaCluster): Promise<void> {
  const { root, nodes } = cluster;
  for (const node of nodes) startProcess(root, `etcd:${node.name}`, SYSTEM_TOOLS.etcd.executable, etcdArgs(cluster, node, "new"));
  await waitForEtcd(cluster);
  startProcess(root, "haproxy", SYSTEM_TOOLS.haproxy.executable, ["-f", path.join(root, "haproxy.cfg"), "-db"]);
  // The first node bootstraps; the others clone it once it is up (faster than racing for it).
  await cluster.startPatroni(nodes[0]!);
  await cluster.waitForPrimary({ timeoutMs: 60_000 });
  await Promise.all(nodes.slice(1).map((node) => cluster.startPatroni(node)));
  await createAppDatabase(cluster);
  await cluster.waitForHealthy(90_000);
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((entry) => entry.startsWith("postgres:"));
  if (!line) throw new Error("No postgres user: install Debian's postgresql-15 (it creates one).");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function waitForEtcd(layout: ClusterLayout): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const healthy = await Promise.all(layout.nodes.map((node) => getJson<{ health: string }>(`http://127.0.0.1:${node.etcdClientPort}/health`)));
    if (healthy.every((answer) => answer?.health === "true")) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`etcd did not form a cluster within 30 s (logs in ${layout.root})`);
}

async function createAppDatabase(cluster: HaCluster): Promise<void> {
  const primary = await cluster.waitForPrimary();
  const client = new pg.Client({ connectionString: cluster.nodeUrl(primary) });
  await client.connect();
  try {
    await client.query(`CREATE ROLE ${APP_ROLE.user} LOGIN PASSWORD '${APP_ROLE.password}'`);
    await client.query(`CREATE DATABASE ${APP_ROLE.database} OWNER ${APP_ROLE.user}`);
  } finally {
    await client.end();
  }
}

/** The handle of a cluster laid out in `root` (by startHaCluster, possibly in another process). */
export async function openHaCluster(root: string): Promise<HaCluster> {
  return clusterHandle(JSON.parse(await readFile(path.join(root, "layout.json"), "utf8")) as ClusterLayout);
}

function clusterHandle(layout: ClusterLayout): HaCluster {
  const { root } = layout;
  const nodeUrl = (node: HaNode, database = "postgres") => `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${node.pgPort}/${database}`;

  async function members(): Promise<HaMember[]> {
    for (const node of layout.nodes) {
      const answer = await getJson<{ members: HaMember[] }>(`http://127.0.0.1:${node.restPort}/cluster`);
      if (answer) return answer.members;
    }
    return [];
  }

  const cluster: HaCluster = {
    ...layout,
    appUrl: `postgres://${APP_ROLE.user}:${APP_ROLE.password}@127.0.0.1:${layout.haproxyPort}/${APP_ROLE.database}`,
    nodeUrl,
    members,
    async waitForPrimary({ not, timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const node of layout.nodes) {
          if (node.name === not?.name) continue;
          try {
            const response = await fetch(`http://127.0.0.1:${node.restPort}/primary`, { signal: AbortSignal.timeout(1_000) });
            if (response.status === 200) return node;
          } catch {
            // this node's Patroni is down
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`no primary within ${timeoutMs / 1000} s: ${JSON.stringify(await members())} (logs in ${root})`);
    },
    async waitForHealthy(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: HaMember[] = [];
      while (Date.now() < deadline) {
        last = await members();
        const running = last.filter((member) => member.state === "running" || member.state === "streaming");
        const leader = last.find((member) => member.role === "leader");
        // A rejoined node reports its old timeline until it follows the leader's (after pg_rewind).
        const following = last.every((member) => member.timeline === leader?.timeline);
        if (running.length === layout.nodes.length && leader && following && last.some((member) => member.role === "sync_standby")) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`cluster not healthy within ${timeoutMs / 1000} s: ${JSON.stringify(last)} (logs in ${root})`);
    },
    async killPostmaster(node) {
      const pid = postmasterPid(node);
      if (pid === null) throw new Error(`${node.name} has no running postmaster`);
      process.kill(pid, "SIGKILL");
    },
    async stopPatroni(node, signal = "SIGTERM") {
      await stopProcess(root, `patroni:${node.name}`, signal);
    },
    async startPatroni(node) {
      startProcess(root, `patroni:${node.name}`, "runuser", ["-u", "postgres", "--", SYSTEM_TOOLS.patroni.executable, path.join(node.dir, "patroni.yml")]);
    },
    async stopEtcd(node) {
      await stopProcess(root, `etcd:${node.name}`, "SIGKILL");
    },
    async startEtcd(node) {
      startProcess(root, `etcd:${node.name}`, SYSTEM_TOOLS.etcd.executable, etcdArgs(layout, node, "existing"));
    },
    async switchover(candidate) {
      const leader = (await members()).find((member) => member.role === "leader");
      if (!leader) throw new Error("no leader to switch over from");
      const config = path.join(nodeByName(layout, leader.name).dir, "patroni.yml");
      const { stdout } = await run("runuser", ["-u", "postgres", "--", "patronictl", "-c", config, "switchover", CLUSTER, "--leader", leader.name, "--candidate", candidate.name, "--force"]);
      // patronictl exits 0 when Patroni refuses (in synchronous mode only the synchronous standby
      // may take over): its output says which.
      if (!/Successfully switched over/.test(stdout)) throw new Error(`switchover to ${candidate.name} refused: ${stdout}`);
      return stdout;
    },
    async down() {
      // Patroni first (it stops its PostgreSQL cleanly), then whatever PostgreSQL is left (a
      // Patroni killed in a test leaves its postmaster), then HAProxy and etcd.
      await Promise.all(layout.nodes.map((node) => stopProcess(root, `patroni:${node.name}`, "SIGTERM", 30_000)));
      for (const node of layout.nodes) {
        const pid = postmasterPid(node);
        if (pid !== null) {
          process.kill(pid, "SIGQUIT");
          await waitGone(pid, 10_000);
        }
      }
      await Promise.all(["haproxy", ...layout.nodes.map((node) => `etcd:${node.name}`)].map((key) => stopProcess(root, key)));
      await rm(root, { recursive: true, force: true });
    },
  };
  return cluster;
}
