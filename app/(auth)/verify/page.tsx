import type { Metadata } from "next";
import Link from "next/link";
import { humanPhoneNumber } from "@/lib/format/phone";
import { currentRequestContext } from "@/lib/auth/current";
import { resendCooldownSeconds } from "@/lib/verification/codes";
import { networkKey } from "@/lib/verification/requester";
import { codePurposeSchema } from "@/lib/validation/auth";
import { contactSchema } from "@/lib/validation/contact";
import { VerifyCodeForm } from "./verify-code-form";
import { BackToSignIn } from "@/components/auth/back-to-sign-in";

export const metadata: Metadata = { title: "Enter your code" };

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const purpose = codePurposeSchema.safeParse(params.purpose);
  const contact = contactSchema.safeParse(params.to);
  if (!purpose.success || !contact.success) {
    return (
      <>
        <h1 className="text-2xl font-bold">Enter your code</h1>
        <BackToSignIn>This page needs the address the code was sent to. Start again from sign-in or sign-up.</BackToSignIn>
      </>
    );
  }
  const { channel, destination } = contact.data;
  const sms = channel === "SMS";
  // Every address has a code row and a cooldown (real or withheld code), so this reveals nothing;
  // the cooldown is this requester's own (ADR 0080).
  const requester = { key: networkKey((await currentRequestContext()).ip) };
  const resendWaitSeconds = await resendCooldownSeconds({ destination, purpose: purpose.data === "signup" ? "SIGNUP" : "SIGNIN", requester });
  const shown = sms ? humanPhoneNumber(destination) : destination;
  return (
    <>
      <h1 className="text-2xl font-bold">Enter your code</h1>
      {/* The address as a chip that never breaks mid-word (cut short with the whole of it in its
          title when it is too long), and the way to change it right beside it (issue 25). */}
      <p className="text-slate-700">
        We sent a 6-digit code {sms ? "by SMS" : "by email"} to{" "}
        <span className="inline-flex max-w-full items-center gap-2 rounded-full border border-slate-300 bg-slate-100 py-0.5 pl-3 pr-1 align-middle">
          <strong className="min-w-0 truncate text-slate-900" title={shown}>
            {shown}
          </strong>
          <Link href={purpose.data === "signup" ? "/sign-up" : "/sign-in"} className="inline-flex min-h-8 shrink-0 items-center rounded-full px-2 text-sm font-medium text-brand-700 underline">
            Change<span className="sr-only">{sms ? " the number" : " the address"}</span>
          </Link>
        </span>
        . It works for 10 minutes.
        {purpose.data === "signup" && !sms ? " The same mail has a link you can open instead." : null}
      </p>
      <VerifyCodeForm purpose={purpose.data} to={destination} resendWaitSeconds={resendWaitSeconds} />
    </>
  );
}
