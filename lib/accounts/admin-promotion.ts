import type { Tx } from "../db";
import type { User } from "../generated/prisma/client";
import { recordAudit } from "../audit";
import { env } from "../env";
import type { RequestContext } from "../request-context";

/**
 * DECISIONS.md §6: an address listed in ADMIN_EMAILS becomes an admin when it signs up or in,
 * once it is verified (an unproven address must never gain the role). The list only bootstraps:
 * once an admin has changed this account's role (an `admin.role_changed` event, kept forever), that
 * decision stands, so a demoted admin is not promoted again at the next sign-in (issue 22, item 11).
 */
export async function promoteIfAdminEmail(tx: Tx, user: User, context?: Partial<RequestContext>): Promise<User> {
  if (!isDueForPromotion(user)) return user;
  const decided = await tx.auditEvent.findFirst({ where: { userId: user.id, action: "admin.role_changed" }, select: { id: true } });
  if (decided) return user;
  const promoted = await tx.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  await recordAudit({ action: "admin.user_promoted", userId: user.id, context, metadata: { reason: "ADMIN_EMAILS" } }, tx);
  return promoted;
}

/** Whether promoteIfAdminEmail would promote `user`, so a caller can skip a transaction with nothing to do. */
export function isDueForPromotion(user: Pick<User, "role" | "email" | "emailVerified">): boolean {
  return user.role !== "ADMIN" && !!user.email && user.emailVerified && env().ADMIN_EMAILS.includes(user.email);
}
