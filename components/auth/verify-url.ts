import type { CodePurposeParam } from "@/lib/validation/auth";
import { RETURN_PARAM, safeReturnPath } from "@/lib/auth/return-path";

/**
 * The code-entry page for a code just sent to `to` (an email address or an E.164 number), carrying
 * on the page to return to after sign-in, if the current page has one.
 */
export function verifyPageUrl(purpose: CodePurposeParam, to: string, returnTo?: string | null): string {
  const back = safeReturnPath(returnTo);
  return `/verify?${new URLSearchParams({ purpose, to, ...(back ? { [RETURN_PARAM]: back } : {}) }).toString()}`;
}
