import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminHeader } from "@/components/admin/admin-header";
import { requireAdmin } from "@/lib/auth/current";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Latchkey" }, robots: { index: false } };
// Per request: the session and role are read from the database every time.
export const dynamic = "force-dynamic";

// Non-admins get a 404 here and in every page, which checks again itself (a layout is not
// re-rendered on client navigation).
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await requireAdmin();
  return (
    <>
      <AdminHeader who={session.user.email ?? session.user.phoneNumber ?? ""} />
      <main id="main" className="mx-auto w-full max-w-6xl space-y-6 px-4 py-8">
        {children}
      </main>
    </>
  );
}
