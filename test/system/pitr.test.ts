// Backups that restore (issue 26 part 3): a point-in-time recovery drill with the commands of
// docs/operations.md. Debian's PostgreSQL 15 archives its WAL; a base backup (pg_basebackup) is
// taken while a Latchkey server is under the mixed load; the backup is restored into a new
// cluster up to a chosen moment; the app starts on it (its migrations current), and every row
// acknowledged before that moment is there and nothing begun after it.
import { execFile } from "node:child_process";
import { chownSync, readFileSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrations";
import { ensureSystemTools, POSTGRES_BIN_DIR } from "../../scripts/support/system-packages";
import { startMixedLoad, summarize, unexpectedAnswers, type LoadOutcome } from "../mixed-load";
import { startSmtpCapture } from "../smtp";
import { sql } from "./sql";
import { startApp, type AppInstance } from "./stack";

const run = promisify(execFile);
/** The one row a query returns. */
const one = async <Row extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []) => (await sql<Row>(databaseUrl, text, values))[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let root: string;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
const apps: AppInstance[] = [];
const clusters: string[] = [];

/** A PostgreSQL 15 program run as the postgres user (PostgreSQL refuses to run as root). */
function asPostgres(program: string, args: string[]) {
  return run("runuser", ["-u", "postgres", "--", path.join(POSTGRES_BIN_DIR, program), ...args], { env: { ...process.env, LC_ALL: "C.UTF-8" } });
}

async function postgresOwnedDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const [, , uid, gid] = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith("postgres:"))!.split(":");
  chownSync(dir, Number(uid), Number(gid));
  return dir;
}

async function startCluster(dataDir: string): Promise<void> {
  await asPostgres("pg_ctl", ["-D", dataDir, "-l", `${dataDir}.log`, "-w", "-t", "120", "start"]);
  clusters.push(dataDir);
}

const url = (port: number, database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;

beforeAll(async () => {
  ensureSystemTools(["postgresql"]);
  root = await postgresOwnedDir(await mkdtemp(path.join(tmpdir(), "latchkey-pitr-")));
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await smtp?.close();
  for (const dataDir of clusters) await asPostgres("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"]).catch(() => {});
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe("point-in-time recovery", () => {
  it("restores a base backup taken under load to a chosen moment: everything acknowledged before it, nothing after", async () => {
    const archive = await postgresOwnedDir(path.join(root, "wal-archive"));
    const primaryDir = path.join(root, "primary");
    const port = await findFreePort();
    await asPostgres("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
    await appendFile(
      path.join(primaryDir, "postgresql.conf"),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        "shared_buffers = 16MB",
        "wal_level = replica",
        "archive_mode = on",
        `archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
        "",
      ].join("\n"),
    );
    await startCluster(primaryDir);
    await sql(url(port), "CREATE DATABASE latchkey");
    const appUrl = url(port, "latchkey");
    await applyMigrations(appUrl);
    const app = await startApp({ databaseUrl: appUrl, env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: "127.0.0.1", OUTBOX_POLL_SECONDS: "1" } });
    apps.push(app);

    const load = startMixedLoad({ appUrls: [app.url], smtp, workers: 3 });
    const { lsn: lsnBefore } = await one<{ lsn: string }>(appUrl, "SELECT pg_current_wal_lsn()::text AS lsn");
    while (load.uploads.length < 4) await sleep(200);

    // The base backup, taken while the load runs.
    const backupDir = path.join(root, "base-backup");
    let started = Date.now();
    await asPostgres("pg_basebackup", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-D", backupDir, "--checkpoint=fast", "-X", "none"]);
    const backupSeconds = (Date.now() - started) / 1000;

    // The chosen moment, with acknowledged work on both sides of it.
    await sleep(4_000);
    const moment = Date.now();
    const { lsn: lsnAtMoment } = await one<{ lsn: string }>(appUrl, "SELECT pg_current_wal_lsn()::text AS lsn");
    await sleep(4_000);
    await load.stop();
    const wal = await one<{ total: string; sinceMoment: string }>(
      appUrl,
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS total, pg_wal_lsn_diff(pg_current_wal_lsn(), $2)::text AS "sinceMoment"`,
      [lsnBefore, lsnAtMoment],
    );
    expect(unexpectedAnswers(load.outcomes)).toEqual([]);
    // Everything up to now reaches the archive: the recovery needs the WAL past the moment.
    const { segment } = await one<{ segment: string }>(appUrl, "SELECT pg_walfile_name(pg_switch_wal()) AS segment");
    for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
      const { archived } = await one<{ archived: string | null }>(appUrl, "SELECT last_archived_wal AS archived FROM pg_stat_archiver");
      if (archived !== null && archived >= segment) break;
      if (Date.now() > deadline) throw new Error(`WAL ${segment} not archived within 30 s`);
    }

    // Restore into a new cluster: the base backup, the archive, and the moment.
    const restoredDir = path.join(root, "restored");
    const restoredPort = await findFreePort();
    await run("cp", ["-a", backupDir, restoredDir]);
    await appendFile(
      path.join(restoredDir, "postgresql.auto.conf"),
      [
        `port = ${restoredPort}`,
        "archive_mode = off",
        `restore_command = 'cp ${archive}/%f %p'`,
        // PostgreSQL's own timestamp syntax: ISO 8601's "T…Z" form is refused here.
        `recovery_target_time = '${new Date(moment).toISOString().replace("T", " ").replace("Z", "+00")}'`,
        "recovery_target_action = 'promote'",
        "",
      ].join("\n"),
    );
    await writeFile(path.join(restoredDir, "recovery.signal"), "");
    started = Date.now();
    await startCluster(restoredDir);
    const restoredUrl = url(restoredPort, "latchkey");
    for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
      const { recovering } = await one<{ recovering: boolean }>(restoredUrl, "SELECT pg_is_in_recovery() AS recovering");
      if (!recovering) break;
      if (Date.now() > deadline) throw new Error("the restored cluster did not finish recovery within 60 s");
    }
    const restoreSeconds = (Date.now() - started) / 1000;

    // The app starts on the restored cluster and reports ready (every migration applied).
    const restoredApp = await startApp({ databaseUrl: restoredUrl, env: { SMTP_URL: smtp.url } });
    apps.push(restoredApp);
    expect((await fetch(`${restoredApp.url}/api/health`)).status).toBe(200);

    // Acknowledged before the moment: there. Begun after it: absent. (In flight at the moment: either.)
    const answeredBefore = (outcome: LoadOutcome) => outcome.startedAt + outcome.ms < moment;
    const begunAfter = (outcome: LoadOutcome) => outcome.startedAt > moment;
    const signUps = load.outcomes.filter((outcome) => outcome.operation === "sign-up" && outcome.status === 201);
    const deviceOf = (outcome: LoadOutcome) => (JSON.parse(outcome.body) as { deviceId: string }).deviceId;
    const before = signUps.filter(answeredBefore).map(deviceOf);
    const after = signUps.filter(begunAfter).map(deviceOf);
    expect(before.length).toBeGreaterThan(3);
    expect(after.length).toBeGreaterThan(0);
    const restoredDevices = new Set((await sql<{ id: string }>(restoredUrl, "SELECT id FROM devices WHERE id = ANY($1::uuid[])", [[...before, ...after]])).map((row) => row.id));
    expect(before.filter((id) => !restoredDevices.has(id))).toEqual([]);
    expect(after.filter((id) => restoredDevices.has(id))).toEqual([]);

    // Key uploads and claims acknowledged before the moment, on devices that exist there.
    const uploads = load.outcomes.filter((outcome) => outcome.operation === "upload" && outcome.status === 204);
    const uploaded = new Set((await sql<{ device_id: string }>(restoredUrl, "SELECT device_id FROM identity_keys")).map((row) => row.device_id));
    expect(uploads.filter(answeredBefore).filter((outcome) => !uploaded.has(outcome.deviceId!))).toEqual([]);
    expect(uploads.filter(begunAfter).filter((outcome) => uploaded.has(outcome.deviceId!))).toEqual([]);
    const claimsBefore = load.outcomes.filter((outcome) => outcome.operation === "claim" && outcome.status === 200 && answeredBefore(outcome));
    const claimedBefore = claimsBefore.flatMap((outcome) =>
      (JSON.parse(outcome.body) as { devices: Array<{ deviceId: string; preKey: { keyId: number } | null }> }).devices.flatMap((device) => (device.preKey ? [device] : [])),
    );
    const { count: unusedClaimed } = await one<{ count: string }>(
      restoredUrl,
      "SELECT count(*) FROM one_time_prekeys k JOIN unnest($1::uuid[], $2::int[]) AS c(device_id, key_id) ON c.device_id = k.device_id AND c.key_id = k.key_id WHERE NOT k.used",
      [claimedBefore.map((device) => device.deviceId), claimedBefore.map((device) => device.preKey!.keyId)],
    );
    expect(Number(unusedClaimed)).toBe(0);
    const { count: usedAfterMoment } = await one<{ count: string }>(restoredUrl, "SELECT count(*) FROM one_time_prekeys WHERE claimed_at > $1", [new Date(moment)]);
    expect(Number(usedAfterMoment)).toBe(0);

    // WAL per sign-up (each with its code mail, sign-in, key upload, fetches, count and page),
    // over the whole drill (including the full-page images every first change of a page writes
    // after the backup's checkpoint) and over the last seconds, when most hot pages had been logged.
    const perThousand = (bytes: string, count: number) => ((Number(bytes) / count) * 1000) / 1024 / 1024;
    const signUpsSinceMoment = signUps.filter((outcome) => outcome.startedAt + outcome.ms >= moment).length;
    console.log(
      `pitr: base backup ${backupSeconds.toFixed(1)} s, restore to the moment ${restoreSeconds.toFixed(1)} s; ` +
        `WAL ${(Number(wal.total) / 1024 / 1024).toFixed(1)} MiB for ${signUps.length} sign-ups (${perThousand(wal.total, signUps.length).toFixed(0)} MiB per 1,000), ` +
        `after the moment ${(Number(wal.sinceMoment) / 1024 / 1024).toFixed(1)} MiB for ${signUpsSinceMoment} (${perThousand(wal.sinceMoment, signUpsSinceMoment).toFixed(0)} MiB per 1,000); ${summarize(load.outcomes)}`,
    );
  });
});
