import { afterAll, describe, expect, inject, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations, checkDrift, diffMigrations, MIGRATIONS_DIR } from "./migrations";
import { databaseUrlFor, dropDatabase, withServerClient } from "../../test/postgres";

const serverUrl = inject("postgresServerUrl");
const databases: string[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(databases.map((name) => dropDatabase(serverUrl, name)));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function freshDatabaseUrl(): string {
  const name = `migrations_${randomBytes(6).toString("hex")}`;
  databases.push(name);
  return databaseUrlFor(serverUrl, name);
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "latchkey-migrations-"));
  tempDirs.push(dir);
  return dir;
}

async function repoMigrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

type MigrationRow = {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
};

function migrationRows(databaseUrl: string): Promise<MigrationRow[]> {
  return withServerClient(databaseUrl, async (client) => {
    const { rows } = await client.query<MigrationRow>("SELECT * FROM _prisma_migrations ORDER BY migration_name");
    return rows;
  });
}

function tableNames(databaseUrl: string): Promise<string[]> {
  return withServerClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    return rows.map((row) => row.tablename);
  });
}

describe("applyMigrations", () => {
  it("creates every table of the schema on a fresh database and records each migration like prisma migrate deploy", async () => {
    const url = freshDatabaseUrl();
    const names = await repoMigrationNames();

    expect(await applyMigrations(url)).toEqual({ applied: names });

    const schema = await readFile(path.join(MIGRATIONS_DIR, "..", "schema.prisma"), "utf8");
    const schemaTables = [...schema.matchAll(/@@map\("([^"]+)"\)/g)].map((match) => match[1]!);
    expect(await tableNames(url)).toEqual(["_prisma_migrations", ...schemaTables].sort());

    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("does nothing the second time", async () => {
    const url = freshDatabaseUrl();
    await applyMigrations(url);
    const before = await migrationRows(url);

    expect(await applyMigrations(url)).toEqual({ applied: [] });
    expect(await migrationRows(url)).toEqual(before);
  });

  it("applies each migration once when two callers race on a fresh database", async () => {
    const url = freshDatabaseUrl();
    const names = await repoMigrationNames();

    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);

    expect(results.flatMap((result) => result.applied).sort()).toEqual(names);
    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual(names);
  });

  it("runs a migration as one statement: $$ bodies survive, and a failure leaves nothing behind and blocks later applies", async () => {
    const url = freshDatabaseUrl();
    const dir = await tempDir();
    await writeMigration(dir, "20000101000000_function", [
      "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$",
      "BEGIN",
      "  RETURN upper(t) || '!';",
      "END;",
      "$$;",
    ]);
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual({ applied: ["20000101000000_function"] });
    const shouted = await withServerClient(url, (client) => client.query<{ shout: string }>("SELECT shout('hi')"));
    expect(shouted.rows[0]?.shout).toBe("HI!");

    await writeMigration(dir, "20000102000000_broken", ["CREATE TABLE half_done (id int);", "SELECT 1 / 0;"]);
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(/division by zero/);
    expect(await tableNames(url)).not.toContain("half_done");
    const broken = (await migrationRows(url)).find((row) => row.migration_name === "20000102000000_broken");
    expect(broken?.finished_at).toBeNull();
    await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toMatchObject({ code: "P3009" });
  });

  it("leaves nothing running: npm run db:migrate exits as soon as it is done", () => {
    const url = freshDatabaseUrl();
    const root = path.join(MIGRATIONS_DIR, "..", "..");
    const started = Date.now();
    const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/db-migrate.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
      timeout: 9_000, // the engine's own timer would hold the process for 10 s
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Applied \d+ migration/);
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});

describe("diffMigrations and checkDrift", () => {
  it("find the migrations in sync with prisma/schema.prisma", async () => {
    expect(await checkDrift(serverUrl)).toMatchObject({ inSync: true });
    expect(await diffMigrations(serverUrl)).toBe("");
  });

  it("report a model the migrations lack, readably", async () => {
    const dir = await tempDir();
    const schemaPath = path.join(dir, "schema.prisma");
    const schema = await readFile(path.join(MIGRATIONS_DIR, "..", "schema.prisma"), "utf8");
    await writeFile(schemaPath, `${schema}\nmodel DriftProbe {\n  id Int @id\n}\n`);

    const drift = await checkDrift(serverUrl, { schemaPath });
    expect(drift.inSync).toBe(false);
    expect(drift.summary).toMatch(/Added tables[\s\S]*DriftProbe/);
    expect(await diffMigrations(serverUrl, { schemaPath })).toMatch(/CREATE TABLE "DriftProbe"/);
  });

  it("take a migrations directory from options, and need no lock file for the first migration", async () => {
    const emptyDir = await tempDir();
    const drift = await checkDrift(serverUrl, { migrationsDir: emptyDir });
    expect(drift.inSync).toBe(false);
    expect(drift.summary).toMatch(/users/);
  });
});

async function writeMigration(dir: string, name: string, lines: string[]): Promise<void> {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, "migration.sql"), `${lines.join("\n")}\n`);
}
