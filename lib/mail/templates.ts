import { brand, env } from "../env";
import type { MailMessage } from "./transport";

// Every mail is plain text plus a simple HTML version with the same words. A code, when there is
// one, leads the subject ("123456 is your Latchkey code") so it shows in notifications.

type MailContent = {
  subject: string;
  heading: string;
  paragraphs: string[];
  code?: string;
  action?: { label: string; url: string };
  footer?: string;
};

const escapeHtml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * Line breaks, other control characters and bidirectional controls folded to a space. Names are
 * refused with them now (issue 22, item 12), but rows stored before that rule still hold them, and
 * a CR/LF in a device name wrote paragraphs of the sender's choosing into the new-device mail. No
 * template's own words contain any of them, so each line of a mail or a text stays one line.
 */
const oneLine = (value: string) => value.replace(/[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]+/gu, " ");

const DEFAULT_FOOTER = "If this was not you, you can ignore this mail: nothing changes without the code or link.";

function compose(to: string, raw: MailContent): MailMessage {
  const content = { ...raw, heading: oneLine(raw.heading), paragraphs: raw.paragraphs.map(oneLine) };
  const footer = oneLine(raw.footer ?? DEFAULT_FOOTER);
  // The operator's branding (PRODUCT_NAME, ACCENT_COLOR) signs the mail and colours its button.
  const { name, accentColor } = brand();
  const text = [
    content.heading,
    "",
    ...content.paragraphs.flatMap((paragraph) => [paragraph, ""]),
    ...(content.code ? [`Your code: ${content.code}`, ""] : []),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    footer,
    "",
    `— ${name}`,
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((paragraph) => `<p style="font-size:16px;line-height:1.5;margin:0 0 16px">${escapeHtml(paragraph)}</p>`).join("\n")}
${content.code ? `<p style="font-size:32px;font-weight:700;letter-spacing:6px;margin:8px 0 24px;font-family:ui-monospace,monospace">${escapeHtml(content.code)}</p>` : ""}
${content.action ? `<p style="margin:0 0 24px"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:${accentColor ?? "#1d4ed8"};color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p><p style="font-size:13px;color:#475569;word-break:break-all;margin:0 0 16px">${escapeHtml(content.action.url)}</p>` : ""}
<p style="font-size:13px;color:#475569;margin:16px 0 0">${escapeHtml(footer)}</p>
</div></body></html>`;
  return { to, subject: content.subject, text, html };
}

export const appUrl = (path: string) => new URL(path, env().APP_URL).toString();

/** `purpose` names what a code is for when it is not for signing in or up ("password reset"). */
const codeSubject = (code: string, purpose?: string) => `${code} is your ${brand().name} ${purpose ? `${purpose} ` : ""}code`;

export function signUpMail(to: string, code: string, verifyUrl: string): MailMessage {
  return compose(to, {
    subject: codeSubject(code),
    heading: "Confirm your email address",
    paragraphs: ["Enter this code to finish creating your Latchkey account. It expires in 10 minutes."],
    code,
    action: { label: "Or confirm with this link (valid for 24 hours)", url: verifyUrl },
  });
}

export function signInCodeMail(to: string, code: string): MailMessage {
  return compose(to, {
    subject: codeSubject(code),
    heading: "Your sign-in code",
    paragraphs: ["Enter this code to sign in to Latchkey. It expires in 10 minutes. If you have no account yet, this code creates one."],
    code,
  });
}

export function passwordResetMail(to: string, code: string, resetUrl: string): MailMessage {
  return compose(to, {
    // Says what it is for: a bare "your code" read like a sign-in code (issue 25).
    subject: codeSubject(code, "password reset"),
    heading: "Reset your password",
    paragraphs: ["Enter this code to choose a new password. It expires in 10 minutes."],
    code,
    action: { label: "Or reset with this link (valid for 1 hour)", url: resetUrl },
    footer: "If you did not ask for this, ignore this mail: your password stays as it is.",
  });
}

export function alreadyRegisteredMail(to: string): MailMessage {
  return compose(to, {
    subject: "Someone tried to sign up with your address",
    heading: "You already have a Latchkey account",
    paragraphs: [
      "Someone (probably you) tried to create a Latchkey account with this email address, but it already has one.",
      "Sign in instead. If you forgot your password, you can sign in with a code or reset it.",
    ],
    action: { label: "Sign in", url: appUrl("/sign-in") },
    footer: "If this was not you, no action is needed: nobody can use your account without a code or your password.",
  });
}

export function noAccountResetMail(to: string): MailMessage {
  return compose(to, {
    subject: "Password reset requested",
    heading: "No Latchkey account uses this address",
    paragraphs: ["Someone asked to reset the password of a Latchkey account with this email address, but no account uses it."],
    action: { label: "Create an account", url: appUrl("/sign-up") },
    footer: "If this was not you, you can ignore this mail.",
  });
}

export function deactivatedAccountMail(to: string): MailMessage {
  return compose(to, {
    subject: "Your Latchkey account is deactivated",
    heading: "This account is deactivated",
    paragraphs: ["Someone asked to sign in to the Latchkey account of this address, but the account is deactivated, so no code was sent.", "Contact the service's administrator if you think this is a mistake."],
    footer: "If this was not you, you can ignore this mail.",
  });
}

// A change to the account itself is an AccountNotice: mailed when the account has an address,
// else texted (accounts signed up by phone may have none; lib/mail/outbox.ts notifyAccountHolder).

export type AccountNotice = { mailTo: (to: string) => MailMessage; sms: string };

/** What a recovery removed (ADR 0064): the owner is told each passkey and messaging device by name. */
export type RemovedAccess = { passkeys: { name: string; createdAt: Date }[]; devices: string[] };

const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function removedAccessParagraphs(removed: RemovedAccess): string[] {
  return [
    ...(removed.passkeys.length
      ? [`These passkeys were removed and can no longer sign in: ${removed.passkeys.map((passkey) => `${passkey.name} (added ${utcMinute(passkey.createdAt)})`).join(", ")}.`]
      : []),
    ...(removed.devices.length
      ? [`These messaging devices were signed out and removed with their encryption keys: ${removed.devices.join(", ")}.`]
      : []),
  ];
}

/** The SMS is the subject and the security page unless given. */
const accountNotice = (content: MailContent, sms = `Latchkey: ${content.subject}. ${appUrl("/settings/security")}`): AccountNotice => ({
  mailTo: (to) => compose(to, content),
  sms: oneLine(sms),
});

/** The last notice after a person deleted their own account. */
export function ownAccountDeletedNotice(): AccountNotice {
  return accountNotice(
    {
      subject: "Your Latchkey account was deleted",
      heading: "Your account was deleted",
      paragraphs: [
        "You deleted your Latchkey account. Your profile, devices, sessions, passkeys and encryption keys are gone; messaging clients can no longer fetch your keys.",
        "Security records of your account's activity are kept without your name or address.",
      ],
      footer: "If you did not do this, someone had access to your account: contact the service's administrator.",
    },
    "Latchkey: your account was deleted. If you did not do this, contact the service's administrator.",
  );
}

export function accountDeletedNotice(): AccountNotice {
  return accountNotice(
    {
      subject: "Your Latchkey account was deleted",
      heading: "Your account was deleted",
      paragraphs: [
        "An administrator of this Latchkey service deleted your account.",
        "Your devices were signed out and their encryption keys deleted; messaging clients can no longer fetch them.",
      ],
      footer: "Contact the service's administrator if you think this is a mistake.",
    },
    "An administrator deleted your Latchkey account. Contact them if you think this is a mistake.",
  );
}

export function passwordChangedNotice(kind: "set" | "changed", removedDevices: string[] = []): AccountNotice {
  return accountNotice({
    subject: kind === "set" ? "A password was set on your Latchkey account" : "Your Latchkey password was changed",
    heading: kind === "set" ? "A password was set" : "Your password was changed",
    paragraphs: [
      kind === "set" ? "A password was just set on your Latchkey account." : "Your Latchkey password was just changed.",
      "Every other device and browser signed in to your account has been signed out.",
      ...removedAccessParagraphs({ passkeys: [], devices: removedDevices }),
    ],
    action: { label: "Review your account's activity", url: appUrl("/settings/security") },
    footer: `If this was not you, reset your password now: ${appUrl("/reset")}`,
  });
}

export function newDeviceNotice(deviceName: string, ip: string): AccountNotice {
  return accountNotice(
    {
      subject: "New sign-in to your Latchkey account",
      heading: "A new device signed in",
      paragraphs: [`Your account was just signed in on ${deviceName} (IP address ${ip}).`],
      action: { label: "Review your devices", url: appUrl("/settings/devices") },
      footer: "If this was not you, sign that device out and reset your password.",
    },
    `Latchkey: new sign-in to your account on ${deviceName}. Not you? Review your devices: ${appUrl("/settings/devices")}`,
  );
}

export function passwordResetNotice(removed: RemovedAccess): AccountNotice {
  return accountNotice({
    subject: "Your Latchkey password was reset",
    heading: "Your password was changed",
    paragraphs: ["The password of your Latchkey account was just reset. Every other session was signed out.", ...removedAccessParagraphs(removed)],
    action: { label: "Review your devices", url: appUrl("/settings/devices") },
    footer: "If this was not you, reset your password again now and review your devices.",
  });
}

export function phoneChangedNotice(newPhone: string): AccountNotice {
  return accountNotice({
    subject: "Your Latchkey phone number was changed",
    heading: "Your phone number was changed",
    paragraphs: [`The phone number on your Latchkey account is now ${newPhone}.`],
    action: { label: "Review your account's activity", url: appUrl("/settings/security") },
    footer: "If this was not you, secure your account now: reset your password and review your devices.",
  });
}

export function passkeyAddedNotice(name: string): AccountNotice {
  return accountNotice({
    subject: "A passkey was added to your Latchkey account",
    heading: "A passkey was added",
    paragraphs: [`A passkey (${name}) was just added to your Latchkey account. It can now sign in to your account.`],
    action: { label: "Review your passkeys", url: appUrl("/settings/passkeys") },
    footer: "If this was not you, remove that passkey now, sign out your other devices and reset your password.",
  });
}

/** A device's one-time keys were claimed beyond their hourly budget (ADR 0069). */
export function keyClaimsThrottledNotice(deviceName: string): AccountNotice {
  return accountNotice({
    subject: "Your Latchkey encryption keys are being fetched unusually often",
    heading: "Your encryption keys are being fetched unusually often",
    paragraphs: [
      `Messaging clients fetched the one-time encryption keys of your device "${deviceName}" more often in the last hour than anyone starting conversations normally does, so Latchkey stopped handing them out for now.`,
      "People can still start encrypted conversations with you: their clients use your device's long-lived key instead until the limit resets. This may be someone trying to use up your keys.",
    ],
    action: { label: "Review your devices", url: appUrl("/settings/devices") },
    footer: "You need do nothing. If you did not expect many new conversations, keep your messaging app up to date so it replaces its keys.",
  });
}

export function passkeyRemovedNotice(name: string): AccountNotice {
  return accountNotice({
    subject: "A passkey was removed from your Latchkey account",
    heading: "A passkey was removed",
    paragraphs: [`A passkey (${name}) was just removed from your Latchkey account. It can no longer sign in to your account.`],
    action: { label: "Review your account's activity", url: appUrl("/settings/security") },
    footer: "If this was not you, someone may be signed in to your account: review your devices and change your password.",
  });
}

/** A provider's "Continue with …" was linked to the account or unlinked from it (ADR 0083). */
export function linkedIdentityNotice(change: "linked" | "unlinked" | "created", provider: string): AccountNotice {
  // The operator names providers; kept to one line all the same, as every name in a subject.
  const providerName = oneLine(provider);
  const what = {
    linked: { subject: `${providerName} sign-in was linked to your Latchkey account`, text: `Your ${providerName} account can now sign in to your Latchkey account.` },
    unlinked: { subject: `${providerName} sign-in was unlinked from your Latchkey account`, text: `Your ${providerName} account can no longer sign in to your Latchkey account.` },
    created: { subject: `Your Latchkey account was created with ${providerName}`, text: `A Latchkey account for this address was created by signing in with ${providerName}. That ${providerName} account signs in to it.` },
  }[change];
  return accountNotice({
    subject: what.subject,
    heading: what.subject,
    paragraphs: [what.text],
    action: { label: "Review how you sign in", url: appUrl("/settings/sign-in-methods") },
    footer: "If this was not you, unlink it in your sign-in methods now, sign out your other devices and reset your password.",
  });
}

/** Two-step verification changed: turned on or off (by the owner or an admin), recovery codes used or replaced. */
export type TwoStepChange = "on" | "off" | "off_by_admin" | "recovery_code_used" | "recovery_codes_regenerated" | "being_guessed";

const TWO_STEP_NOTICES: Record<TwoStepChange, { subject: string; heading: string; paragraph: string }> = {
  on: {
    subject: "Two-step verification is on for your Latchkey account",
    heading: "Two-step verification is on",
    paragraph: "Signing in to your account now also asks for a code from your authenticator app (or one of your recovery codes).",
  },
  off: {
    subject: "Two-step verification was turned off on your Latchkey account",
    heading: "Two-step verification was turned off",
    paragraph: "Signing in to your account no longer asks for a code from your authenticator app. Your recovery codes no longer work.",
  },
  off_by_admin: {
    subject: "An administrator turned off two-step verification on your Latchkey account",
    heading: "Two-step verification was turned off",
    paragraph: "As you asked, an administrator turned off two-step verification after checking who you are. Turn it on again in your settings.",
  },
  recovery_code_used: {
    subject: "A recovery code was used to sign in to your Latchkey account",
    heading: "A recovery code was used",
    paragraph: "One of your recovery codes was just used to sign in. It cannot be used again. If you lost your authenticator app, set it up again and get new recovery codes.",
  },
  recovery_codes_regenerated: {
    subject: "New recovery codes for your Latchkey account",
    heading: "You have new recovery codes",
    paragraph: "New recovery codes were made for your account. The old ones no longer work.",
  },
  being_guessed: {
    subject: "Someone is trying to get past two-step verification on your Latchkey account",
    heading: "Wrong two-step codes were entered",
    paragraph:
      "Several wrong authenticator or recovery codes were just entered for your account. Two-step verification stopped them, but they came after a right password or sign-in code: if this was not you, change your password and check your mailbox's security.",
  },
};

export function twoStepNotice(change: TwoStepChange): AccountNotice {
  const { subject, heading, paragraph } = TWO_STEP_NOTICES[change];
  return accountNotice({
    subject,
    heading,
    paragraphs: [paragraph],
    action: { label: "Review two-step verification", url: appUrl("/settings/two-step") },
    footer: "If this was not you, someone may be signed in to your account: review your devices and change your password.",
  });
}

export function emailChangeCodeMail(to: string, code: string): MailMessage {
  return compose(to, {
    subject: `${code} is your code to confirm this address for Latchkey`,
    heading: "Confirm your new address",
    paragraphs: ["Someone asked to use this address for their Latchkey account. Enter this code on the settings page to confirm it. It expires in 10 minutes."],
    code,
  });
}

/** Mailed instead of a code when the new address already has an account: the caller's answer is the same. */
export function emailChangeTakenMail(to: string): MailMessage {
  return compose(to, {
    subject: "Someone tried to use this address for Latchkey",
    heading: "This address already has an account",
    paragraphs: [
      "Someone asked to move a Latchkey account to this address. This address already belongs to an account, so nothing will change.",
      "If this was you, sign in with this address instead.",
    ],
    action: { label: "Sign in", url: appUrl("/sign-in") },
    footer: "If this was not you, you can ignore this mail.",
  });
}

/** The text to a phone-only account's number when an address is added to it, with a way to undo it (ADR 0063). */
export const emailAddedSms = (newEmail: string, revertUrl: string) =>
  oneLine(`Latchkey: the email address ${newEmail} was added to your account. Not you? Undo it within 7 days and sign out everywhere: ${revertUrl}`);

/** The undo page of an email or phone change (one page for both: lib/settings/contact-revert.ts). */
export const emailChangeRevertUrl = (revertToken: string) => appUrl(`/email-change/revert?token=${encodeURIComponent(revertToken)}`);

export function emailChangedMail(to: string, newEmail: string, revertToken: string): MailMessage {
  return compose(to, {
    subject: "The email address of your Latchkey account was changed",
    heading: "Your email address was changed",
    paragraphs: [
      `The email address of your Latchkey account was changed to ${newEmail}.`,
      "If this was not you, use this link within 7 days to restore this address and sign out everywhere. Then reset your password.",
    ],
    action: { label: "Restore this address", url: emailChangeRevertUrl(revertToken) },
    footer: "If this was you, no action is needed.",
  });
}

/** The text to the number a phone change replaced, with a way to undo it (ADR 0086). */
export const phoneChangedSms = (newPhone: string, revertToken: string) =>
  oneLine(`Latchkey: your account's phone number was changed to ${newPhone}. Not you? Undo it within 7 days and sign out everywhere: ${emailChangeRevertUrl(revertToken)}`);

/** What an undo of an email or phone change did, for the restored holder (lib/settings/contact-revert.ts). */
export type RevertSummary = {
  /** The address restored (null: the account had none, and the one added is gone). */
  restoredEmail: string | null;
  /** The address the account had been changed to; null when unchanged. */
  replacedEmail: string | null;
  /** The number put back (null: none, as before) and the one it replaced; null when unchanged. */
  phone: { restored: string | null; replaced: string | null } | null;
  revokedDevices: string[];
  removedPasskeys: RemovedAccess["passkeys"];
  twoStepTurnedOff: boolean;
  passwordCleared: boolean;
  sessionsEnded: number;
};

export function contactChangeRevertedNotice(undone: RevertSummary): AccountNotice {
  const phone = !undone.phone
    ? null
    : undone.phone.restored
      ? `Your phone number is ${undone.phone.restored} again${undone.phone.replaced ? ` (it had been changed to ${undone.phone.replaced})` : ""}.`
      : `The phone number ${undone.phone.replaced}, set in the last days, was removed.`;
  const email = !undone.replacedEmail
    ? null
    : undone.restoredEmail
      ? `Your email address is ${undone.restoredEmail} again (it had been changed to ${undone.replacedEmail}).`
      : `The email address ${undone.replacedEmail}, added to your account, was removed.`;
  return accountNotice(
    {
      subject: "We undid changes to your Latchkey account",
      heading: "Changes to your account were undone",
      paragraphs: [
        ...(email ? [email] : []),
        ...(phone ? [phone] : []),
        undone.revokedDevices.length
          ? `These devices were signed out and removed with their encryption keys: ${undone.revokedDevices.join(", ")}.`
          : "No device was removed.",
        ...(undone.removedPasskeys.length ? removedAccessParagraphs({ passkeys: undone.removedPasskeys, devices: [] }) : ["No passkey was removed."]),
        ...(undone.twoStepTurnedOff ? ["Two-step verification, turned on or changed in the last days, was turned off: its authenticator app and recovery codes no longer work."] : []),
        ...(undone.passwordCleared ? ["The password set in the last days was removed: sign in with a code, then choose a new password."] : []),
        `Every browser and app signed in to your account was signed out (${undone.sessionsEnded} session${undone.sessionsEnded === 1 ? "" : "s"}), and every pending password reset, code and link was cancelled.`,
      ],
      action: { label: "Choose a new password", url: appUrl("/reset") },
      footer: "Whoever made the change may know your password: choose a new one now, then review your account's activity.",
    },
    `Latchkey: changes to your account were undone; ${undone.revokedDevices.length} device(s) and ${undone.removedPasskeys.length} passkey(s) removed${undone.twoStepTurnedOff ? ", two-step off" : ""}${undone.passwordCleared ? ", password removed" : ""}, everyone signed out. Choose a new password: ${appUrl("/reset")}`,
  );
}

const reauthenticationSubject = (code: string) => `${code} is your Latchkey confirmation code`;

export function reauthenticationCodeMail(to: string, code: string): MailMessage {
  return compose(to, {
    subject: reauthenticationSubject(code),
    heading: "Confirm it's you",
    paragraphs: ["You asked to confirm it's you before changing your account settings. Enter this code. It expires in 10 minutes."],
    code,
    footer: "If this was not you, someone may be signed in to your account: review your devices and change your password.",
  });
}

export const codeSms = (code: string) => `${code} is your Latchkey code. It expires in 10 minutes. Do not share it.`;
export const alreadyRegisteredSms = () => "Someone tried to sign up to Latchkey with this number, which already has an account. Sign in instead.";
export const deactivatedAccountSms = () => "Someone asked to sign in to Latchkey with this number, but its account is deactivated.";
export const reauthenticationCodeSms = reauthenticationSubject;
/** Sent instead of a code when the new number already has an account: the caller's answer is the same. */
export const phoneChangeTakenSms = () => "Latchkey: someone tried to add this number to an account, but it already has one. Nothing changed.";

