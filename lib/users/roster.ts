import type { Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { AppError } from "../errors";
import { lockKey } from "../rate-limit";

// The admin roster: changes that could leave the service without an active admin (an admin's
// demotion, deactivation or deletion, by an admin or by themselves) run one at a time under this
// lock, so "is this the last admin?" cannot race (DECISIONS.md §6).

const ADMIN_ROSTER_LOCK = "admin:roster";

export const lockAdminRoster = (tx: Tx) => lockKey(ADMIN_ROSTER_LOCK, tx);

const lastAdmin = () =>
  new AppError("last_admin", "This is the last active admin. Make another account an admin first.", 409);

/** Refuses a change that would leave no active admin (the roster lock is held by the caller). */
export async function assertAnotherActiveAdmin(tx: Tx, target: User): Promise<void> {
  if (target.role !== "ADMIN" || !target.isActive) return;
  const others = await tx.user.count({ where: { role: "ADMIN", isActive: true, id: { not: target.id } } });
  if (others === 0) throw lastAdmin();
}
