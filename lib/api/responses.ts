import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError, databaseUnavailable, RateLimitedError, RETRY_AFTER_OUTAGE_SECONDS } from "../errors";
import { isDatabaseUnavailable } from "../faults";

/** Every error the API answers with: `{"error": {"code", "message"}}`. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable snake_case code, e.g. `invalid_signature`, `rate_limited`." }),
      message: z.string().meta({ description: "What went wrong, in words a developer can act on." }),
    }),
  })
  .meta({ id: "Error", description: "The body of every 4xx and 5xx answer." });

type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers });
}

/** 202 or 204: the status says it all. */
export function emptyResponse(status: number): Response {
  return new Response(null, { status });
}

function errorBody(code: string, message: string, extra?: Record<string, unknown>): ApiErrorBody {
  return { error: { code, message, ...extra } };
}

type Issue = z.ZodError["issues"][number];

/**
 * A union's failure ("Invalid input") replaced by the issues of its closest branch, the one with the
 * fewest complaints: a first-factor token request with a bad device name hears about the name, not
 * that it lacks a two-step challenge.
 */
function readableIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
    return readableIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue));
  });
}

/** A zod failure as one readable sentence: "preKeys.3.publicKey: Must be 33 bytes in base64." */
export function describeZodError(error: z.ZodError): string {
  return readableIssues(error.issues)
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * The one place where a thrown error becomes an HTTP answer. AppError carries its own status and
 * code; a RateLimitedError adds Retry-After; a database that cannot be reached right now (a
 * restart, a failover) is a 503 with Retry-After, so clients wait instead of failing; anything else is a fault: logged with a request id
 * that the body repeats, and answered without a stack trace or any detail.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof RateLimitedError) {
    return jsonResponse(errorBody(error.code, error.message), 429, { "Retry-After": String(error.retryAfterSeconds) });
  }
  if (isDatabaseUnavailable(error)) return errorResponse(databaseUnavailable());
  if (error instanceof AppError) {
    const headers: HeadersInit | undefined =
      error.status === 401 ? { "WWW-Authenticate": "Bearer" } : error.status === 503 ? { "Retry-After": String(RETRY_AFTER_OUTAGE_SECONDS) } : undefined;
    return jsonResponse(errorBody(error.code, error.message, error.answer), error.status, headers);
  }
  const requestId = randomUUID();
  console.error(`[api] request ${requestId} failed`, error);
  return jsonResponse(errorBody("internal_error", `Something went wrong on our side (request ${requestId}).`), 500);
}
