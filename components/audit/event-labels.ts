import type { AuditAction } from "@/lib/audit";

/**
 * How each security event reads, in the account's own activity list and in the admin audit log
 * alike (one table, so the two never speak differently of the same event).
 */
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
  "user.phone_change_reverted": "Phone number change undone; every device signed out",
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
  "two_step.enabled": "Two-step verification turned on",
  "two_step.disabled": "Two-step verification turned off",
  "two_step.failed": "Wrong two-step verification code",
  "two_step.guessing_noticed": "Told you that two-step codes were being guessed",
  "two_step.recovery_code_used": "Recovery code used",
  "two_step.recovery_codes_regenerated": "New recovery codes made",
  "identity.linked": "Sign-in provider linked",
  "identity.unlinked": "Sign-in provider unlinked",
  "admin.user_deactivated": "Account deactivated by an administrator",
  "admin.user_reactivated": "Account reactivated by an administrator",
  "admin.role_changed": "Role changed by an administrator",
  "admin.device_revoked": "Device signed out by an administrator",
  "admin.verification_resent": "Verification resent by an administrator",
  "admin.user_deleted": "Account deleted by an administrator",
  "admin.user_promoted": "Made an administrator",
  "admin.user_viewed": "Account details viewed by an administrator",
  "admin.users_searched": "Accounts searched by an administrator",
  "admin.two_step_disabled": "Two-step verification turned off by an administrator",
  "account.deleted": "Account deleted",
};

export function activityLabel(action: string): string {
  return (ACTIVITY_LABELS as Record<string, string>)[action] ?? action;
}

const SPELLED_OUT: Record<string, string> = { BROWSER: "browser", CLIENT: "messaging app", EMAIL: "email", SMS: "text message", ADMIN: "administrator", USER: "user" };

/** "devicesRevoked" → "Devices revoked". */
const wordsOf = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_.]/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const valueInWords = (value: unknown): string => {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return SPELLED_OUT[value] ?? value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map(valueInWords).join(", ");
  return value === null || value === undefined ? "–" : JSON.stringify(value);
};

/** An event's details as "Kind: browser · Devices revoked: 2" instead of its raw JSON. */
export function eventDetails(metadata: unknown): string {
  if (!metadata || typeof metadata !== "object") return "";
  return Object.entries(metadata)
    .map(([key, value]) => `${wordsOf(key)}: ${valueInWords(value)}`)
    .join(" · ");
}
