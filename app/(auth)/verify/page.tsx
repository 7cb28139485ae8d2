import type { Metadata } from "next";
import Link from "next/link";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { Alert } from "@/components/ui/alert";
import { currentRequestContext } from "@/lib/auth/current";
import { resendCooldownSeconds } from "@/lib/verification/codes";
import { networkKey } from "@/lib/verification/requester";
import { codePurposeSchema } from "@/lib/validation/auth";
import { contactSchema } from "@/lib/validation/contact";
import { VerifyCodeForm } from "./verify-code-form";

export const metadata: Metadata = { title: "Enter your code" };

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const purpose = codePurposeSchema.safeParse(params.purpose);
  const contact = contactSchema.safeParse(params.to);
  if (!purpose.success || !contact.success) {
    return (
      <>
        <h1 className="text-2xl font-bold">Enter your code</h1>
        <Alert tone="error">This page needs the address the code was sent to. Start again from sign-in or sign-up.</Alert>
        <p className="text-sm">
          <Link href="/sign-in" className="font-medium text-brand-700 underline">
            Go to sign-in
          </Link>
        </p>
      </>
    );
  }
  const { channel, destination } = contact.data;
  const sms = channel === "SMS";
  // Every address has a code row and a cooldown (real or withheld code), so this reveals nothing;
  // the cooldown is this requester's own (ADR 0080).
  const requester = { key: networkKey((await currentRequestContext()).ip) };
  const resendWaitSeconds = await resendCooldownSeconds({ destination, purpose: purpose.data === "signup" ? "SIGNUP" : "SIGNIN", requester });
  const shown = sms ? (parsePhoneNumberFromString(destination)?.formatInternational() ?? destination) : destination;
  return (
    <>
      <h1 className="text-2xl font-bold">Enter your code</h1>
      <p className="text-slate-700">
        We sent a 6-digit code {sms ? "by SMS" : "by email"} to <strong className={sms ? "whitespace-nowrap" : "break-all"}>{shown}</strong>. It works for 10 minutes.
        {purpose.data === "signup" && !sms ? " The same mail has a link you can open instead." : null}
      </p>
      <VerifyCodeForm purpose={purpose.data} to={destination} resendWaitSeconds={resendWaitSeconds} />
      <p className="text-sm text-slate-700">
        {sms ? "Wrong number?" : "Wrong address?"}{" "}
        <Link href={purpose.data === "signup" ? "/sign-up" : "/sign-in"} className="font-medium text-brand-700 underline">
          {sms ? "Change the number" : "Start again"}
        </Link>
      </p>
    </>
  );
}
