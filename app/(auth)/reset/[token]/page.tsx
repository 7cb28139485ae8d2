import type { Metadata } from "next";
import { ResetWithLinkForm } from "./reset-with-link-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetWithLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      <ResetWithLinkForm token={token} />
    </>
  );
}
