import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";

export type MailMessage = { to: string; subject: string; text: string; html?: string | null };

let cached: { url: string; transporter: Transporter } | undefined;

/**
 * Sends one mail over SMTP_URL with nodemailer, or returns false when no SMTP is configured (then
 * the outbox row itself is the developer's inbox).
 */
export async function sendMail(message: MailMessage): Promise<boolean> {
  const url = env().SMTP_URL;
  if (!url) return false;
  if (cached?.url !== url) cached = { url, transporter: nodemailer.createTransport(url) };
  await cached.transporter.sendMail({
    from: env().MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html ?? undefined,
  });
  return true;
}

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}
