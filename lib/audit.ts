import type { Prisma, Tx } from "./db";
import { prisma } from "./db";
import type { RequestContext } from "./request-context";

/** Security events, as written to audit_events.action (listed for the admin audit-log filter). */
export const AUDIT_ACTIONS = [
  "user.signed_up",
  "user.signed_in",
  "user.sign_in_failed",
  "user.signed_out",
  "user.password_set",
  "user.password_changed",
  "user.password_reset",
  "user.email_verified",
  "user.email_changed",
  "user.email_change_reverted",
  "user.email_change_cancelled",
  "user.phone_changed",
  "user.phone_change_cancelled",
  "user.phone_change_reverted",
  "user.code_guesses_failed",
  "user.profile_completed",
  "user.profile_updated",
  "user.discovery_changed",
  "device.created",
  "device.renamed",
  "device.revoked",
  "session.revoked",
  "session.revoked_all_others",
  "session.idle_timeout",
  "session.expired",
  "keys.uploaded",
  "keys.claims_throttled",
  "passkey.added",
  "passkey.renamed",
  "passkey.removed",
  "passkey.counter_regressed",
  "two_step.enabled",
  "two_step.disabled",
  "two_step.failed",
  "two_step.guessing_noticed",
  "two_step.recovery_code_used",
  "two_step.recovery_codes_regenerated",
  "identity.linked",
  "identity.unlinked",
  "admin.user_deactivated",
  "admin.user_reactivated",
  "admin.role_changed",
  "admin.device_revoked",
  "admin.verification_resent",
  "admin.user_deleted",
  "admin.user_promoted",
  "admin.user_viewed",
  "admin.users_searched",
  "admin.two_step_disabled",
  "account.deleted",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * An admin looking, not acting (ADR 0074): kept for oversight of admins, left out of the person's
 * own security activity, where every support look-up would bury the events they act on.
 */
export const ADMIN_LOOK_ACTIONS: AuditAction[] = ["admin.user_viewed", "admin.users_searched"];

type AuditEntry = {
  action: AuditAction;
  /** The account the event is about. */
  userId?: string | null;
  /** Who did it, when not the account itself (an admin). */
  actorId?: string | null;
  deviceId?: string | null;
  context?: Partial<RequestContext>;
  metadata?: Prisma.InputJsonObject;
};

/**
 * Writes audit events (several in one statement); pass the transaction that makes the change, so
 * they commit together.
 */
export async function recordAudit(entries: AuditEntry | AuditEntry[], tx: Tx = prisma): Promise<void> {
  const rows = (Array.isArray(entries) ? entries : [entries]).map((entry) => ({
    action: entry.action,
    userId: entry.userId ?? null,
    actorId: entry.actorId ?? entry.userId ?? null,
    deviceId: entry.deviceId ?? null,
    ip: entry.context?.ip ?? null,
    userAgent: entry.context?.userAgent ?? null,
    metadata: entry.metadata ?? {},
  }));
  await tx.auditEvent.createMany({ data: rows });
}
