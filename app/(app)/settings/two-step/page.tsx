import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";
import { ManageTwoStep, TurnOnTwoStep } from "./_components/two-step-setup";
import { requireCompleteProfile } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";
import { twoStepStatus } from "@/lib/two-step/two-step";

export const metadata: Metadata = { title: "Two-step verification" };

export default async function TwoStepSettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, ...session } = await requireCompleteProfile();
  const status = await twoStepStatus(user.id);
  // lib/auth/current.ts sends admins here when REQUIRE_TWO_STEP_FOR_ADMINS is on.
  const requiredForAdmin = (await searchParams).required === "admin" && !status.on;
  return (
    <>
      {requiredForAdmin ? <Alert tone="info">Turn on two-step verification to open the admin area.</Alert> : null}
      <Card
        title="Two-step verification"
        description="After your password or a code, signing in also asks for a code from an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis). A passkey counts as both steps."
      >
        {status.on && status.enabledAt ? (
          <p className="text-sm text-slate-800" data-testid="two-step-status">
            <strong>On</strong> since <LocalTime value={status.enabledAt} />. {status.recoveryCodesLeft} of 10 recovery codes left.
          </p>
        ) : (
          <p className="text-sm text-slate-800" data-testid="two-step-status">
            <strong>Off.</strong>
          </p>
        )}
      </Card>
      {/* Every change here needs a recent proof of who is at this browser. */}
      {!hasRecentSignIn(session) ? (
        <ReauthenticatePanel methods={await reauthenticationMethods(user)} />
      ) : status.on ? (
        <ManageTwoStep />
      ) : (
        <TurnOnTwoStep />
      )}
    </>
  );
}
