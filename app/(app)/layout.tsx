import type { ReactNode } from "react";
import { AppHeader } from "@/components/auth/app-header";
import { accountSummary } from "@/components/auth/account-summary";
import { requireCompleteProfile } from "@/lib/auth/current";

// Every page under (app) needs a signed-in user with a complete profile; pages check again
// themselves, since a layout is not re-rendered on every client navigation.
// Per-request: the session is read from the cookie and checked against its row.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireCompleteProfile();
  return (
    <>
      <AppHeader account={accountSummary(session.user)} />
      <main id="main" className="mx-auto w-full max-w-4xl px-4 py-8">
        {children}
      </main>
    </>
  );
}
