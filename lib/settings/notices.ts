import type { Tx } from "../db";
import { enqueueMail, enqueueSms } from "../mail/outbox";
import { appUrl } from "../mail/templates";

// The messages the settings flows send (plain text; lib/mail/templates.ts keeps the sign-in
// issue's). Each is queued in the transaction that makes the change, so a change that rolls back
// tells nobody anything.

type Notice = { subject: string; text: string };

const signature = "— Latchkey";

/**
 * Tells the account holder about a change to their account: by mail when the account has an
 * address, else by SMS to its number (accounts signed up by phone may have no address).
 */
export async function notifyAccountHolder(
  tx: Tx,
  user: { email: string | null; phoneNumber: string | null },
  notice: Notice,
): Promise<void> {
  if (user.email) await enqueueMail(tx, { to: user.email, subject: notice.subject, text: notice.text });
  else if (user.phoneNumber) await enqueueSms(tx, { to: user.phoneNumber, text: `Latchkey: ${notice.subject}. ${appUrl("/settings/security")}` });
}

export function passwordChangedNotice(kind: "set" | "changed"): Notice {
  return {
    subject: kind === "set" ? "A password was set on your Latchkey account" : "Your Latchkey password was changed",
    text: [
      kind === "set" ? "A password was just set on your Latchkey account." : "Your Latchkey password was just changed.",
      "Every other device and browser signed in to your account has been signed out.",
      "",
      `If this was not you, reset your password now: ${appUrl("/reset")}`,
      `and review your account's activity: ${appUrl("/settings/security")}`,
      "",
      signature,
    ].join("\n"),
  };
}

export function phoneChangedNotice(newPhone: string): Notice {
  return {
    subject: "Your Latchkey phone number was changed",
    text: [
      `The phone number on your Latchkey account is now ${newPhone}.`,
      "",
      `If this was not you, secure your account: ${appUrl("/settings/security")}`,
      "",
      signature,
    ].join("\n"),
  };
}

export function emailChangeCodeMail(code: string): Notice {
  return {
    subject: `${code} is your code to confirm this address for Latchkey`,
    text: [
      `Your code is ${code}. It is valid for 10 minutes.`,
      "",
      "Someone asked to use this address for their Latchkey account. Enter the code on the",
      "settings page to confirm it. If this was not you, ignore this mail: nothing changes without the code.",
      "",
      signature,
    ].join("\n"),
  };
}

/** Mailed instead of a code when the new address already has an account: the caller's answer is the same. */
export function emailChangeTakenMail(): Notice {
  return {
    subject: "Someone tried to use this address for Latchkey",
    text: [
      "Someone asked to move a Latchkey account to this address. This address already belongs to",
      "an account, so nothing will change. If this was you, sign in with this address instead.",
      "",
      signature,
    ].join("\n"),
  };
}

export function emailChangedNotice(input: { newEmail: string; revertUrl: string }): Notice {
  return {
    subject: "The email address of your Latchkey account was changed",
    text: [
      `The email address of your Latchkey account was changed to ${input.newEmail}.`,
      "",
      "If this was not you, use this link within 7 days to restore this address and sign out",
      `everywhere: ${input.revertUrl}`,
      "Then reset your password.",
      "",
      signature,
    ].join("\n"),
  };
}

/** Sent instead of a code when the new number already has an account: the caller's answer is the same. */
export function phoneChangeTakenSms(): string {
  return "Latchkey: someone tried to add this number to an account, but it already has one. Nothing changed.";
}

export function reauthenticationCodeMail(code: string): Notice {
  return {
    subject: `${code} is your Latchkey confirmation code`,
    text: [
      `Your code is ${code}. It is valid for 10 minutes.`,
      "",
      "You asked to confirm it's you before changing your account settings. If this was not you,",
      "someone may be signed in to your account: review your devices and change your password.",
      "",
      signature,
    ].join("\n"),
  };
}

export function revertUrl(token: string): string {
  return appUrl(`/email-change/revert?token=${encodeURIComponent(token)}`);
}
