import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { SignInNotice } from "@/lib/accounts/browser-sign-in";

const NOTICES: Record<SignInNotice, string> = {
  "sign-up-password-dropped":
    "The password chosen at sign-up was not kept, because your address was confirmed in a different browser from the one that chose it. Set a password of your own in",
};

/** What a sign-in asked the next page to say (the `notice` search parameter), if anything. */
export function SignInNoticeAlert({ notice }: { notice: string | string[] | undefined }) {
  if (typeof notice !== "string" || !(notice in NOTICES)) return null;
  return (
    <Alert tone="info">
      {NOTICES[notice as SignInNotice]}{" "}
      <Link className="font-semibold underline" href="/settings/password">
        Settings → Password
      </Link>
      , or keep signing in with codes.
    </Alert>
  );
}
