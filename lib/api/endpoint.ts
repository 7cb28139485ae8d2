import type { z } from "zod";
import type { BurstLimit } from "../rate-limit";
import { CALLER_LIMITS } from "../limits";

type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
type SuccessStatus = 200 | 201 | 202 | 204;
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;

/**
 * One operation of the API, described once: the route handler validates and answers with it
 * (lib/api/route.ts) and the OpenAPI document is generated from it (lib/openapi.ts).
 */
export type Endpoint = {
  method: HttpMethod;
  /** OpenAPI form: `/api/keys/{userId}/{deviceId}`. */
  path: `/api/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  /** "bearer": `Authorization: Bearer <token>` required. "public": rate limited per IP instead. */
  auth: "bearer" | "public";
  /** Bearer routes: the caller's allowances on this operation; DEFAULT_CALLER_LIMITS when absent. */
  callerLimits?: CallerLimits;
  /** Path parameters; a value that does not parse names nothing, so it is answered 404. */
  params?: z.ZodObject;
  body?: z.ZodType;
  /** Checked on the raw JSON before `body`: lets a too-long key list be a 413 rather than a 400. */
  oversized?: (body: unknown) => string | null;
  /**
   * `schema`: a JSON answer checked against it. `contentType`: a non-JSON answer (the transparency
   * log's tiles and keys, whose formats C2SP fixes), which `run` builds as a whole Response.
   */
  success: { status: SuccessStatus; description: string; schema?: z.ZodType; contentType?: string };
  /** Every error status the operation can answer besides 500, with when it happens. */
  errors: Partial<Record<ErrorStatus, string>>;
};

export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint;
}

/**
 * What one caller may spend on one bearer operation: per calling device and per calling account,
 * all its devices together (ADR 0041). The route charges both once the request is valid; an
 * operation whose own statement writes anyway (the key claim) charges them itself instead
 * (`chargedByRun`), in the same round trip and commit.
 */
type CallerLimits = { perDevice: BurstLimit; perAccount: BurstLimit; chargedByRun?: true };

/** Bearer operations that name no allowance of their own. */
export const DEFAULT_CALLER_LIMITS: CallerLimits = CALLER_LIMITS.default;

/** The message of every bearer operation's 429. */
export const CALLER_LIMITED = "Too many calls of this operation by the calling device or account; see Retry-After.";
