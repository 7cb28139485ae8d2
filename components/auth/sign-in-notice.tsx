import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { SignInNotice } from "@/lib/accounts/browser-sign-in";

const NOTICES: Record<SignInNotice, { tone: "info" | "success"; text: ReactNode }> = {
  "sign-up-password-dropped": {
    tone: "info",
    text: (
      <>
        The password chosen at sign-up was not kept, because your address was confirmed in a different browser from the one that chose it. Set a
        password of your own in{" "}
        <Link className="font-semibold underline" href="/settings/password">
          Settings → Password
        </Link>
        , or keep signing in with codes.
      </>
    ),
  },
  "password-set": { tone: "success", text: "Password set, you are signed in." },
};

/** What a sign-in asked the next page to say (the `notice` search parameter), if anything. */
export function SignInNoticeAlert({ notice }: { notice: string | string[] | undefined }) {
  if (typeof notice !== "string" || !Object.hasOwn(NOTICES, notice)) return null;
  const { tone, text } = NOTICES[notice as SignInNotice];
  return <Alert tone={tone}>{text}</Alert>;
}
