import type { Metadata } from "next";
import { ConfirmEmailLink } from "./confirm-email-link";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="text-2xl font-bold">Confirm your email address</h1>
      <ConfirmEmailLink token={token} />
    </>
  );
}
