import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { currentRequestContext, requireSession } from "./auth/current";
import type { LiveSession } from "./auth/sessions";
import { AppError, databaseUnavailable, RateLimitedError, RETRY_AFTER_OUTAGE_SECONDS } from "./errors";
import { isDatabaseUnavailable } from "./faults";
import { consumeBurst, type BurstLimit } from "./rate-limit";
import { IP_LIMITS } from "./limits";
import type { RequestContext } from "./request-context";
import { rateLimitSubject } from "./http/client-address";

/** What every server action returns to its form (useActionState or a react-hook-form submit). */
export type ActionResult<T = void> =
  | { ok: true; message?: string; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string>; retryAfterSeconds?: number; codeSpent?: boolean };

export const success = <T>(data: T, message?: string): ActionResult<T> => ({ ok: true, data, message });

type ActionOptions = { name: string; ipLimit?: BurstLimit };

function toPlainObject(input: unknown): unknown {
  return input instanceof FormData ? Object.fromEntries(input) : input;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

// A user's mistake becomes a message they can act on; anything else is a fault, logged with an id
// the user can quote, and never shown as a stack trace.
function failureOf(error: unknown): ActionResult<never> {
  if (error instanceof RateLimitedError) {
    return { ok: false, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof AppError) {
    const field = typeof error.details?.field === "string" ? error.details.field : undefined;
    return {
      ok: false,
      message: error.message,
      fieldErrors: field ? { [field]: error.message } : undefined,
      // The code page then offers only "Send a new code" (lib/verification/errors.ts).
      ...(error.details?.codeSpent === true ? { codeSpent: true } : {}),
    };
  }
  if (isNextControlFlow(error)) throw error;
  if (isDatabaseUnavailable(error)) return { ok: false, message: databaseUnavailable().message, retryAfterSeconds: RETRY_AFTER_OUTAGE_SECONDS };
  const requestId = randomUUID();
  console.error(`[action] request ${requestId} failed`, error);
  return { ok: false, message: `Something went wrong on our side. Please try again (reference ${requestId.slice(0, 8)}).` };
}

// redirect() and notFound() work by throwing; they must pass through untouched.
function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}

/** A server action that validates its input with `schema` and is rate limited per IP. */
export function validatedAction<S extends z.ZodType, T>(
  options: ActionOptions,
  schema: S,
  run: (input: z.output<S>, context: RequestContext) => Promise<ActionResult<T>>,
) {
  return async (input: z.input<S> | FormData): Promise<ActionResult<T>> => {
    try {
      const context = await currentRequestContext();
      await consumeBurst(`ip:${options.name}:${rateLimitSubject(context.ip)}`, options.ipLimit ?? IP_LIMITS.serverAction);
      const parsed = schema.safeParse(toPlainObject(input));
      if (!parsed.success) {
        return { ok: false, message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) };
      }
      return await run(parsed.data, context);
    } catch (error) {
      return failureOf(error);
    }
  };
}

/** Like validatedAction, for signed-in users: the session is checked here, in the action itself. */
export function validatedActionWithSession<S extends z.ZodType, T>(
  options: ActionOptions,
  schema: S,
  run: (input: z.output<S>, session: LiveSession, context: RequestContext) => Promise<ActionResult<T>>,
) {
  return validatedAction(options, schema, async (input, context) => run(input, await requireSession(), context));
}
