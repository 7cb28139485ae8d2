import type { SmsMessage, SmsProvider } from "./message";

type TwilioSettings = { apiUrl: string; accountSid: string; authToken: string; from: string };

const REQUEST_TIMEOUT_MS = 10_000;

/** Twilio's Messages REST resource: a form POST with basic auth; any 2xx means accepted. */
export function twilioProvider(settings: TwilioSettings): SmsProvider {
  const url = `${settings.apiUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString("base64")}`;
  return {
    name: "twilio",
    async send(message: SmsMessage) {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ To: message.to, From: settings.from, Body: message.body }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!response.ok) {
        // Twilio answers errors as JSON {code, message}; keep the gist for the outbox's lastError.
        const detail = (await response.text()).slice(0, 300);
        throw new Error(`Twilio answered ${response.status}: ${detail}`);
      }
    },
  };
}
