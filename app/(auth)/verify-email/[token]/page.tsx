import type { Metadata } from "next";
import { previewEmailLink } from "@/lib/accounts/sign-up";
import { getCurrentSession } from "@/lib/auth/current";
import { currentBrowserKey } from "../../browser-device";
import { ConfirmEmailLink } from "./confirm-email-link";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Read-only: the link is used only by the page's script or its button (ADR 0075).
  const preview = await previewEmailLink(token, { browserKey: await currentBrowserKey(), signedInUserId: (await getCurrentSession())?.userId ?? null });
  return (
    <>
      <h1 className="text-2xl font-bold">Confirm your email address</h1>
      <ConfirmEmailLink token={token} preview={preview} />
    </>
  );
}
