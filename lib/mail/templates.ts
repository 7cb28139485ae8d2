import { env } from "../env";
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

const DEFAULT_FOOTER = "If this was not you, you can ignore this mail: nothing changes without the code or link.";

function compose(to: string, content: MailContent): MailMessage {
  const footer = content.footer ?? DEFAULT_FOOTER;
  const text = [
    content.heading,
    "",
    ...content.paragraphs.flatMap((paragraph) => [paragraph, ""]),
    ...(content.code ? [`Your code: ${content.code}`, ""] : []),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    footer,
    "",
    "— Latchkey",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((paragraph) => `<p style="font-size:16px;line-height:1.5;margin:0 0 16px">${escapeHtml(paragraph)}</p>`).join("\n")}
${content.code ? `<p style="font-size:32px;font-weight:700;letter-spacing:6px;margin:8px 0 24px;font-family:ui-monospace,monospace">${escapeHtml(content.code)}</p>` : ""}
${content.action ? `<p style="margin:0 0 24px"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p><p style="font-size:13px;color:#475569;word-break:break-all;margin:0 0 16px">${escapeHtml(content.action.url)}</p>` : ""}
<p style="font-size:13px;color:#475569;margin:16px 0 0">${escapeHtml(footer)}</p>
</div></body></html>`;
  return { to, subject: content.subject, text, html };
}

export const appUrl = (path: string) => new URL(path, env().APP_URL).toString();

const codeSubject = (code: string) => `${code} is your Latchkey code`;

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
    subject: codeSubject(code),
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

export function passwordResetNoticeMail(to: string): MailMessage {
  return compose(to, {
    subject: "Your Latchkey password was reset",
    heading: "Your password was changed",
    paragraphs: ["The password of your Latchkey account was just reset. Every other session was signed out."],
    action: { label: "Review your devices", url: appUrl("/settings/devices") },
    footer: "If this was not you, reset your password again now and review your devices.",
  });
}

export function newDeviceMail(to: string, deviceName: string, ip: string): MailMessage {
  return compose(to, {
    subject: "New sign-in to your Latchkey account",
    heading: "A new device signed in",
    paragraphs: [`Your account was just signed in on ${deviceName} (IP address ${ip}).`],
    action: { label: "Review your devices", url: appUrl("/settings/devices") },
    footer: "If this was not you, sign that device out and reset your password.",
  });
}

export const codeSms = (code: string) => `${code} is your Latchkey code. It expires in 10 minutes. Do not share it.`;
export const alreadyRegisteredSms = () => "Someone tried to sign up to Latchkey with this number, which already has an account. Sign in instead.";
export const deactivatedAccountSms = () => "Someone asked to sign in to Latchkey with this number, but its account is deactivated.";
