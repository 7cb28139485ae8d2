import { AppError, RateLimitedError, formatWait } from "../errors";

/** Why a guess at a code was refused. */
export type CodeFailure =
  | { reason: "wrong"; attemptsLeft: number }
  | { reason: "expired" }
  | { reason: "used" }
  | { reason: "exhausted" }
  | { reason: "locked"; retryAfterSeconds: number }
  | { reason: "none" };

const MESSAGES: Record<Exclude<CodeFailure["reason"], "wrong" | "locked">, string> = {
  expired: "This code has expired. Request a new one.",
  used: "This code was already used. Request a new one.",
  exhausted: "Too many wrong guesses for this code. Request a new one.",
  none: "That code is not right. Check the latest message we sent, or request a new code.",
};

/**
 * The error a person sees for a refused code: 400 "invalid_code" with {reason, attemptsLeft?}
 * (shown beside the code field; `codeSpent` when no guess at this code can succeed any more), or
 * 429 while the destination is locked.
 */
export function codeFailureError(failure: CodeFailure): AppError {
  if (failure.reason === "locked") {
    return new RateLimitedError(
      failure.retryAfterSeconds,
      `Too many wrong codes. For your safety, try again in ${formatWait(failure.retryAfterSeconds)}.`,
    );
  }
  if (failure.reason === "wrong") {
    const left = failure.attemptsLeft;
    const message =
      left > 0
        ? `That code is not right. ${left} attempt${left === 1 ? "" : "s"} left.`
        : "That code is not right, and that was the last attempt for it. Request a new code.";
    return new AppError("invalid_code", message, 400, { reason: "wrong", attemptsLeft: left, field: "code", codeSpent: left === 0 });
  }
  // "none" may be a typo against the newest code's neighbour; every other reason means no guess
  // can succeed any more, so only a new code helps.
  return new AppError("invalid_code", MESSAGES[failure.reason], 400, { reason: failure.reason, field: "code", codeSpent: failure.reason !== "none" });
}
