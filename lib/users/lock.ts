import type { Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { notFound } from "../errors";

/**
 * Locks the user row and reads it, or null when the account is gone: concurrent changes to one
 * account apply one after another.
 */
export async function lockUserIfExists(tx: Tx, userId: string): Promise<User | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  return rows.length === 0 ? null : tx.user.findUnique({ where: { id: userId } });
}

/** lockUserIfExists for an account that must exist: 404 when it was deleted meanwhile. */
export async function lockUser(tx: Tx, userId: string): Promise<User> {
  const user = await lockUserIfExists(tx, userId);
  if (!user) throw notFound("This account no longer exists.");
  return user;
}

/**
 * The first lock of every transaction that writes rows under a user's devices (keys, sessions,
 * revocations): a share of the user row, which only erasing the account conflicts with. Taken
 * first, before any device or key row, it puts these writers and an account deletion (which locks
 * the user row first too) in one order, so they queue instead of deadlocking (ADR 0067). False
 * when the account is gone.
 */
export async function holdUserRow(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${userId}::uuid FOR KEY SHARE`;
  return rows.length === 1;
}
