import type { MailMessage } from "../mail/transport";

// The notices admin actions send. Fixed words only, no user input, so the HTML needs no escaping.

const DELETED_TEXT = [
  "An administrator of this Latchkey service deleted your account.",
  "Your devices were signed out and their encryption keys deleted; messaging clients can no longer fetch them.",
  "Contact the service's administrator if you think this is a mistake.",
];

export function accountDeletedMail(to: string): MailMessage {
  return {
    to,
    subject: "Your Latchkey account was deleted",
    text: ["Your account was deleted", "", ...DELETED_TEXT.flatMap((line) => [line, ""]), "— Latchkey"].join("\n"),
    html: `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#0f172a">
<h1 style="font-size:20px">Your account was deleted</h1>
${DELETED_TEXT.map((line) => `<p style="font-size:16px;line-height:1.5">${line}</p>`).join("\n")}
<p>— Latchkey</p></body></html>`,
  };
}

export const accountDeletedSms = () => "An administrator deleted your Latchkey account. Contact them if you think this is a mistake.";
