import type { AuditAction } from "@/lib/audit";

/** How each security event reads in the account's activity list. */
export const ACTIVITY_LABELS: Record<AuditAction, string> = {
  "user.signed_up": "Account created",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Failed sign-in attempt",
  "user.signed_out": "Signed out",
  "user.password_set": "Password set",
  "user.password_changed": "Password changed",
  "user.password_reset": "Password reset",
  "user.email_verified": "Email address confirmed",
  "user.email_changed": "Email address changed",
  "user.email_change_reverted": "Email change undone; every device signed out",
  "user.email_change_cancelled": "Email change cancelled",
  "user.phone_changed": "Phone number changed",
  "user.phone_change_cancelled": "Phone number change cancelled",
  "user.code_guesses_failed": "Too many wrong codes entered",
  "user.profile_completed": "Profile completed",
  "user.profile_updated": "Profile updated",
  "user.discovery_changed": "Who can find you changed",
  "device.created": "New device signed in",
  "device.renamed": "Device renamed",
  "device.revoked": "Device signed out",
  "session.revoked": "Session signed out",
  "session.revoked_all_others": "Signed out everywhere else",
  "session.idle_timeout": "Signed out after a time without use",
  "session.expired": "Session expired; signed out",
  "keys.uploaded": "Encryption keys published",
  "keys.claims_throttled": "Encryption keys fetched beyond the hourly budget",
  "passkey.added": "Passkey added",
  "passkey.renamed": "Passkey renamed",
  "passkey.removed": "Passkey removed",
  "passkey.counter_regressed": "Passkey refused: it may have been copied",
  "admin.user_deactivated": "Account deactivated by an administrator",
  "admin.user_reactivated": "Account reactivated by an administrator",
  "admin.role_changed": "Role changed by an administrator",
  "admin.device_revoked": "Device signed out by an administrator",
  "admin.verification_resent": "Verification resent by an administrator",
  "admin.user_deleted": "Account deleted by an administrator",
  "admin.user_promoted": "Made an administrator",
  "admin.user_viewed": "Account details viewed by an administrator",
  "admin.users_searched": "Accounts searched by an administrator",
  "account.deleted": "Account deleted",
};

export function activityLabel(action: string): string {
  return (ACTIVITY_LABELS as Record<string, string>)[action] ?? action;
}
