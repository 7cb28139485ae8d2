// Prisma's schema engine compiled to WebAssembly, driven through a pg driver adapter. Prisma 7's CLI
// only runs the native engine, which it cannot download on these machines. The pitfalls handled
// here are listed in shared/notes/offline-stack.md ("Prisma 7 without engine downloads").
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";

export const NO_FILTERS: glue.SchemaFilter = { externalTables: [], externalEnums: [] };

type SchemaFile = { path: string; content: string };

/**
 * Runs `work` with a schema engine connected to `databaseUrl` (the database must exist), then frees
 * the engine and closes every pool and shadow database it opened, so the process can exit.
 */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  schemaFiles: SchemaFile[],
  work: (engine: glue.SchemaEngine) => Promise<T>,
): Promise<T> {
  const SchemaEngine = await loadSchemaEngine();
  const adapters = new PgMigrationAdapters(databaseUrl);
  const factory = bindMigrationAwareSqlAdapterFactory(adapters);
  // The engine takes either no schema or a non-empty list.
  const datamodels = schemaFiles.length ? schemaFiles.map((file): [string, string] => [file.path, file.content]) : undefined;
  let engine: glue.SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new({ datamodels }, logEngineMessage, factory);
    return await work(engine);
  } catch (error) {
    throw readableError(error, factory.errorRegistry);
  } finally {
    engine?.free();
    await adapters.close();
  }
}

// The glue keeps the wasm instance in its own module state, which outlives this module when a test
// runner re-evaluates our files; a second instantiation would swap the instance under live engines.
const loaded = Symbol.for("latchkey.schemaEngineWasm");

function loadSchemaEngine(): Promise<typeof glue.SchemaEngine> {
  const holder = globalThis as { [loaded]?: Promise<typeof glue.SchemaEngine> };
  holder[loaded] ??= instantiate();
  return holder[loaded];
}

// The package's own entry imports the .wasm as an ES module, which Node 20 allows only behind
// --experimental-wasm-modules. Its engine is also newer than the one prisma 7.10.1 pins, so the bytes
// come from the prisma package and only the JS glue from the wasm package.
async function instantiate(): Promise<typeof glue.SchemaEngine> {
  const prismaDir = path.dirname(createRequire(import.meta.url).resolve("prisma/package.json"));
  const setTimeoutImport = Object.keys(glue).find((name) => name.startsWith("__wbg_setTimeout_"));
  if (!setTimeoutImport) throw new Error("The schema engine glue has no setTimeout import: check its version.");
  const imports = {
    ...glue,
    // The engine arms a 10 s timer that would keep the process alive after the work is done.
    [setTimeoutImport]: (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref(),
  };
  const { instance } = await WebAssembly.instantiate(await readFile(path.join(prismaDir, "build", "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": imports as unknown as WebAssembly.ModuleImports,
  });
  installPanicRegistry();
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine;
}

function logEngineMessage(message: string): void {
  if (process.env.SCHEMA_ENGINE_DEBUG) console.error(message);
}

// A Rust panic calls this global before the wasm traps with a bare "unreachable". Prisma's client
// installs its own (which throws a readable error itself) when it shares the process.
const panic: { message?: string; set_message(message: string): void } = {
  set_message(message) {
    this.message = message;
  },
};

function installPanicRegistry(): void {
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panic }).PRISMA_WASM_PANIC_REGISTRY ??= panic;
}

// Errors the adapter threw reach the engine as "External error id#N"; the original is in the registry.
function readableError(error: unknown, registry: ErrorRegistry): unknown {
  if (error instanceof WebAssembly.RuntimeError && panic.message) {
    return new Error(`Prisma's schema engine panicked: ${panic.message}`, { cause: error });
  }
  if (!(error instanceof Error)) return error;
  const id = /External error id#(\d+)/.exec(error.message)?.[1];
  const external = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (external instanceof Error) {
    error.message = error.message.replace(/External error id#\d+/, external.message);
    error.cause = external;
  }
  // The engine appends its Rust span trace, which says nothing to the reader of a migration error.
  error.message = error.message.replace(/\n +0: [\s\S]*$/, "");
  return error;
}

/**
 * PrismaPg, with what the schema engine needs fixed: scripts run as one query, every pool is closed
 * by us, and shadow databases are reached through a connection that provably points at them.
 */
class PgMigrationAdapters implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly open = new Set<() => Promise<void>>();

  constructor(private readonly databaseUrl: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    const pool = readCharAsText(new pg.Pool(parseIntoClientConfig(this.databaseUrl)));
    return this.adapter(pool, () => pool.end());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
    await this.onMainDatabase(`CREATE DATABASE "${database}"`);
    // node-postgres ignores `database` next to `connectionString`, which once replayed migrations
    // into the main database: the shadow config is built from the parsed URL, then checked.
    const pool = readCharAsText(new pg.Pool({ ...parseIntoClientConfig(this.databaseUrl), database }));
    // DROP … WITH (FORCE) would cut the pool's connections from under it and leak the pool.
    const drop = async () => {
      await pool.end();
      await this.onMainDatabase(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    try {
      const { rows } = await pool.query<{ current_database: string }>("SELECT current_database()");
      const reached = rows[0]?.current_database;
      if (reached !== database) throw new Error(`The shadow database connection reached "${reached}", not "${database}".`);
    } catch (error) {
      await drop();
      throw error;
    }
    return this.adapter(pool, drop);
  }

  /** Disposes what the engine left open: freeing the engine does not dispose its adapters. */
  async close(): Promise<void> {
    await Promise.all([...this.open].map((dispose) => dispose()));
  }

  private async adapter(pool: pg.Pool, release: () => Promise<void>): Promise<SqlDriverAdapter> {
    const dispose = async () => {
      if (this.open.delete(dispose)) await release();
    };
    this.open.add(dispose);
    const inner = await new PrismaPg(pool).connect();
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      queryRaw: async (query) => {
        const charColumns: number[] = [];
        const result = await charColumnsOfQuery.run(charColumns, () => inner.queryRaw(query));
        for (const index of charColumns) result.columnTypes[index] = ColumnTypeEnum.Character;
        return result;
      },
      executeRaw: (query) => inner.executeRaw(query),
      // PrismaPg splits scripts on ";", which breaks $$ bodies and leaves a failed migration half
      // applied. Without parameters this is one simple-protocol query, which PostgreSQL runs as a
      // single implicit transaction.
      executeScript: async (script) => {
        await inner.executeRaw({ sql: script, args: [], argTypes: [] });
      },
      startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
      getConnectionInfo: inner.getConnectionInfo?.bind(inner),
      dispose,
    };
  }

  private async onMainDatabase(sql: string): Promise<void> {
    const client = new pg.Client(parseIntoClientConfig(this.databaseUrl));
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumnsOfQuery = new AsyncLocalStorage<number[]>();

// Introspection reads catalog columns of PostgreSQL's one-byte "char" type (constraint kinds, for
// one), which PrismaPg rejects as unsupported. Their text form is the character itself: the pool
// reports them as text, and the adapter's queryRaw then tells the engine they hold a character.
function readCharAsText(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult | pg.QueryResult[]>;
  const patched = async (config: pg.QueryConfig) => {
    const result = await query(config);
    if (Array.isArray(result)) return result; // a multi-statement script: nothing is read from it
    const charColumns = charColumnsOfQuery.getStore();
    result.fields.forEach((field, index) => {
      if (field.dataTypeID !== CHAR_OID) return;
      field.dataTypeID = TEXT_OID;
      charColumns?.push(index);
    });
    return result;
  };
  pool.query = patched as typeof pool.query;
  return pool;
}
