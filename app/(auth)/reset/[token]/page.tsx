import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { LinkButton } from "@/components/ui/button";
import { resetLinkForm } from "@/lib/accounts/password-reset";
import { ResetWithLinkForm } from "./reset-with-link-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetWithLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Checked on arrival, so a dead link says so before anyone types a new password for nothing.
  const found = await resetLinkForm(token);
  if (!found) {
    return (
      <>
        <h1 className="text-2xl font-bold">This link no longer works</h1>
        <Alert tone="error">This reset link has expired or was already used. Reset links work once, for one hour.</Alert>
        <LinkButton href="/reset">Send a new link</LinkButton>
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      <ResetWithLinkForm
        token={token}
        passkeys={found.passkeys.map(({ id, name, createdAt }) => ({ id, name, createdAt }))}
        askSecondFactor={found.twoStepOn}
      />
    </>
  );
}
