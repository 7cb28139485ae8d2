import type { Metadata } from "next";
import { RevertEmailChangeForm } from "./_components/revert-email-change-form";

// The token is in the URL: keep it out of Referer headers sent to anything this page links to.
export const metadata: Metadata = { title: "Undo an email change", referrer: "no-referrer" };

export default async function RevertEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Undo the email change</h1>
      <RevertEmailChangeForm token={typeof token === "string" ? token : ""} />
    </div>
  );
}
