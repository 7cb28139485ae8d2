import type { Tx } from "../db";

/** Reads the user under a row lock: concurrent changes to one account apply one after another. */
export async function lockUser(tx: Tx, userId: string) {
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  return tx.user.findUniqueOrThrow({ where: { id: userId } });
}
