import type { CodePurposeParam } from "@/lib/validation/auth";

/** The code-entry page for a code just sent to `to` (an email address or an E.164 number). */
export function verifyPageUrl(purpose: CodePurposeParam, to: string): string {
  return `/verify?${new URLSearchParams({ purpose, to }).toString()}`;
}
