import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ContactChange } from "../_components/contact-change";
import { resendCooldownSeconds } from "@/lib/verification/codes";
import { accountRequester } from "@/lib/verification/requester";
import { requireCompleteProfile } from "@/lib/auth/current";
import { pendingEmailOf } from "@/lib/settings/email-change";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Email address" };

export default async function EmailSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  const pending = await pendingEmailOf(user.id);
  return (
    <>
      <Card title="Email address">
        <p className="break-all text-slate-800">{user.email ?? "No email address yet."}</p>
        <p className="mt-2 text-sm text-slate-600">
          After a change, your old address gets a link that undoes it for 7 days and signs out every device.
        </p>
      </Card>
      <ContactChange
        kind="email"
        pending={pending}
        resendWaitSeconds={pending ? await resendCooldownSeconds({ destination: pending, purpose: "EMAIL_CHANGE", requester: accountRequester(user.id, false) }) : 0}
        recentSignIn={hasRecentSignIn(session)}
        reauthentication={await reauthenticationMethods(user)}
      />
    </>
  );
}
