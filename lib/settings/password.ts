import { prisma } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit";
import { assertPasswordAllowed, hashPassword } from "../auth/password";
import { revokeAllSessions } from "../auth/sessions";
import type { RequestContext } from "../request-context";
import { deliverOutboxSoon } from "../mail/outbox";
import { notifyAccountHolder } from "../users/notify";
import { revokeClientDevicesWithoutSession } from "../devices/devices";
import { lockUser } from "../users/lock";
import { passwordChangedNotice } from "../mail/templates";
import { assertOwnPassword } from "./own-password";
import { assertRecentSignIn, type SessionRef } from "../auth/recent-sign-in";

/**
 * Sets or changes the password. The current password is required when there is one; an account
 * without one needs a recent sign-in instead. In one transaction: the new hash, every other
 * session of the account ended (this one stays), the audit event and the notice.
 */
export async function changePassword(
  session: SessionRef,
  input: { currentPassword?: string; newPassword: string },
  context?: Partial<RequestContext>,
): Promise<{ kind: "set" | "changed"; sessionsEnded: number }> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId } });
  if (user.password) {
    if (!input.currentPassword) {
      throw new AppError("current_password_required", "Enter your current password.", 400, { field: "currentPassword" });
    }
    await assertOwnPassword(user, input.currentPassword, "currentPassword");
    if (input.newPassword === input.currentPassword) {
      throw new AppError("password_unchanged", "Choose a password different from your current one.", 400, { field: "newPassword" });
    }
  } else {
    assertRecentSignIn(session);
  }
  assertPasswordAllowed(input.newPassword, "newPassword");
  const hash = await hashPassword(input.newPassword);
  const kind: "set" | "changed" = user.password ? "changed" : "set";

  const result = await prisma.$transaction(async (tx) => {
    const current = await lockUser(tx, user.id);
    // Someone else set or changed the password between the check above and this lock.
    if (current.password !== user.password) {
      throw new AppError("password_changed_meanwhile", "Your password was just changed elsewhere. Reload the page and try again.", 409);
    }
    await tx.user.update({ where: { id: user.id }, data: { password: hash, passwordChangedAt: new Date() } });
    const sessionsEnded = await revokeAllSessions(user.id, tx, session.id);
    const devicesRevoked = await revokeClientDevicesWithoutSession(tx, { userId: user.id, context });
    await recordAudit(
      {
        action: kind === "set" ? "user.password_set" : "user.password_changed",
        userId: user.id,
        deviceId: session.deviceId,
        context,
        metadata: { sessionsEnded, devicesRevoked: devicesRevoked.length },
      },
      tx,
    );
    await notifyAccountHolder(tx, current, passwordChangedNotice(kind, devicesRevoked));
    return { kind, sessionsEnded };
  });
  deliverOutboxSoon();
  return result;
}
