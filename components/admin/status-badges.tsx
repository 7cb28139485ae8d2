import type { UserListRow } from "@/lib/admin/users";

const badge = "inline-block rounded-full px-2 py-0.5 text-xs font-semibold";

/** What state an account is in, in words (not colour alone). */
export function StatusBadges({ user }: { user: Pick<UserListRow, "role" | "isActive" | "emailVerified" | "phoneVerified" | "isProfileComplete"> }) {
  return (
    <span className="flex flex-wrap gap-1">
      {user.role === "ADMIN" ? <span className={`${badge} bg-brand-100 text-brand-800`}>Admin</span> : null}
      {user.isActive ? null : <span className={`${badge} bg-red-100 text-red-900`}>Deactivated</span>}
      {user.emailVerified || user.phoneVerified ? null : <span className={`${badge} bg-amber-100 text-amber-900`}>Unverified</span>}
      {user.isProfileComplete ? null : <span className={`${badge} bg-slate-200 text-slate-800`}>Incomplete</span>}
    </span>
  );
}
