import type { Metadata } from "next";
import { humanPhoneNumber } from "@/lib/format/phone";
import { Card } from "@/components/ui/card";
import { ContactChange } from "../_components/contact-change";
import { resendCooldownSeconds } from "@/lib/verification/codes";
import { accountRequester } from "@/lib/verification/requester";
import { requireCompleteProfile } from "@/lib/auth/current";
import { pendingPhoneOf } from "@/lib/settings/phone-change";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";

export const metadata: Metadata = { title: "Phone number" };

export default async function PhoneSettingsPage() {
  const { user, ...session } = await requireCompleteProfile();
  const pending = await pendingPhoneOf(user.id);
  return (
    <>
      <Card title="Phone number">
        <p className="text-slate-800">{user.phoneNumber ? humanPhoneNumber(user.phoneNumber) : "No phone number yet."}</p>
      </Card>
      <ContactChange
        kind="phone"
        pending={pending}
        resendWaitSeconds={pending ? await resendCooldownSeconds({ destination: pending, purpose: "PHONE_CHANGE", requester: accountRequester(user.id, false) }) : 0}
        recentSignIn={hasRecentSignIn(session)}
        reauthentication={await reauthenticationMethods(user)}
      />
    </>
  );
}
