import { env } from "../env";
import type { SmsProvider } from "./message";
import { twilioProvider } from "./twilio";

/**
 * The configured SMS provider, or null for "outbox" (the default): then messages stay in the
 * outbox, readable at /dev/outbox outside production.
 */
export function smsProvider(): SmsProvider | null {
  const settings = env();
  if (settings.SMS_PROVIDER !== "twilio") return null;
  return twilioProvider({
    apiUrl: settings.TWILIO_API_URL,
    accountSid: settings.TWILIO_ACCOUNT_SID ?? "",
    authToken: settings.TWILIO_AUTH_TOKEN ?? "",
    from: settings.TWILIO_FROM ?? "",
  });
}
