/**
 * The one error type for things a caller can act on. Route handlers map it to
 * `{"error": {"code", "message"}}` with `status`; server actions show `message` in the form.
 * Anything else that is thrown is a fault: logged with a request id, answered with a plain 500.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: Record<string, unknown>,
    /** Fields the API adds to its error body beside code and message (e.g. a sign-in's second-factor challenge). */
    readonly answer?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`,
  ) {
    super("rate_limited", message, 429, { retryAfterSeconds });
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what, 404);
export const unauthorized = (message = "Sign in to continue.") => new AppError("unauthorized", message, 401);
/** What clients are told to wait when the database is briefly unreachable (a restart takes seconds). */
export const RETRY_AFTER_OUTAGE_SECONDS = 5;
export const databaseUnavailable = () =>
  new AppError("service_unavailable", "Latchkey is briefly unavailable. Please try again in a few seconds.", 503);

// Up to 90 s the exact count reads better than "1 minute" or "2 minutes" (a 60 s cooldown just
// started says "60 seconds", matching the countdown on the button).
export function formatWait(seconds: number): string {
  if (seconds <= 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
