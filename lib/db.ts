import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl, env } from "./env";

import type { Prisma } from "./generated/prisma/client";

export type { Prisma };
export type Tx = Prisma.TransactionClient;

// One client per process: Next's dev server re-evaluates modules on every change, so the client
// lives on globalThis instead of in module scope.
const holder = globalThis as unknown as { latchkeyPrisma?: PrismaClient };

/**
 * How long a query waits for a connection, new or pooled (pg-pool applies one limit to both), and
 * a transaction for its start: a server that is down refuses at once (503), a blackholed one or a
 * pool drained by a burst answers within this time instead of leaving the request hanging.
 */
const CONNECTION_WAIT_MS = 10_000;

function client(): PrismaClient {
  holder.latchkeyPrisma ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl(),
      max: env().DATABASE_POOL_SIZE,
      connectionTimeoutMillis: CONNECTION_WAIT_MS,
      // Dead peers (a restarted server, a dropped pooler connection) are noticed instead of waited on.
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    }),
    // A burst larger than the pool queues for a connection instead of failing after Prisma's 2 s.
    transactionOptions: { maxWait: CONNECTION_WAIT_MS },
  });
  return holder.latchkeyPrisma;
}

/**
 * The process's Prisma client, created on first use so that importing this module (during
 * `next build`, say) needs no database.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const instance = client();
    const value = Reflect.get(instance, property);
    return typeof value === "function" ? value.bind(instance) : value;
  },
});

export async function disconnectPrisma(): Promise<void> {
  await holder.latchkeyPrisma?.$disconnect();
  holder.latchkeyPrisma = undefined;
}
