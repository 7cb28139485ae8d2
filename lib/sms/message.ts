/** A text to send, and what sends it: shared by the provider choice and each provider. */
export type SmsMessage = { to: string; body: string };

/** Something that delivers an SMS, or throws so the outbox retries it later. */
export type SmsProvider = { name: string; send(message: SmsMessage): Promise<void> };
