import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl } from "./env";

import type { Prisma } from "./generated/prisma/client";

export type { Prisma };
export type Tx = Prisma.TransactionClient;

// One client per process: Next's dev server re-evaluates modules on every change, so the client
// lives on globalThis instead of in module scope.
/** Connections per app process (the bench's bare server uses as many). */
export const APP_POOL_SIZE = 10;

const holder = globalThis as unknown as { latchkeyPrisma?: PrismaClient };

function client(): PrismaClient {
  holder.latchkeyPrisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl(), max: APP_POOL_SIZE }),
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
