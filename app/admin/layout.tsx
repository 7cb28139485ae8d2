import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/auth/app-header";
import { accountSummary } from "@/components/auth/account-summary";
import { requireAdmin } from "@/lib/auth/current";
import { brand } from "@/lib/env";

export function generateMetadata(): Metadata {
  return { title: { default: "Admin", template: `%s · Admin · ${brand().name}` }, robots: { index: false } };
}
// Per request: the session and role are read from the database every time.
export const dynamic = "force-dynamic";

const ADMIN_NAV = {
  label: "Admin",
  links: [
    { href: "/admin", label: "Dashboard" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/audit", label: "Audit log" },
  ],
};

// Non-admins get a 404 here and in every page, which checks again itself (a layout is not
// re-rendered on client navigation).
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await requireAdmin();
  return (
    <>
      <AppHeader
        account={accountSummary(session.user)}
        home={{ href: "/admin", label: `${brand().name} admin` }}
        nav={ADMIN_NAV}
        wide
      />
      <main id="main" className="mx-auto w-full max-w-6xl space-y-6 px-4 py-8">
        {children}
      </main>
    </>
  );
}
