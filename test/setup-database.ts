import { afterAll, inject } from "vitest";
import { randomBytes } from "node:crypto";
import { generateTransparencyKeys } from "../lib/transparency/local-keys";
import { createDatabaseFromTemplate, dropDatabase } from "./postgres";

// Runs in each test file's worker before the file is imported: the file gets a database of its
// own, so files run in parallel without sharing rows. lib/db.ts reads DATABASE_URL lazily.
const serverUrl = inject("postgresServerUrl");
const database = `test_${randomBytes(6).toString("hex")}`;
const directUrl = await createDatabaseFromTemplate(serverUrl, database);
// Under vitest.pgbouncer.config.ts the app talks to its database through pgbouncer; the test
// harness itself (creating and dropping databases) always talks to PostgreSQL directly.
const pooledPort = inject("pooledServerPort");
process.env.DATABASE_URL = pooledPort ? Object.assign(new URL(directUrl), { port: String(pooledPort) }).toString() : directUrl;
process.env.AUTH_SECRET ??= "test-secret-that-is-long-enough-for-hmac-keys";
process.env.APP_URL ??= "http://localhost:3000";
Object.assign(process.env, generateTransparencyKeys(process.env));

afterAll(async () => {
  // Mail queued by the file's last test may still be on its way; let it finish before the
  // database goes, instead of failing noisily against a dropped database.
  const { settleAfterAnswer } = await import("../lib/after-answer");
  await settleAfterAnswer();
  const { settleOutboxDeliveries } = await import("../lib/mail/outbox");
  await settleOutboxDeliveries();
  const { disconnectPrisma } = await import("../lib/db");
  await disconnectPrisma();
  await dropDatabase(serverUrl, database);
});
