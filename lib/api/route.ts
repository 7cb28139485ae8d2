import type { z } from "zod";
import { authenticateBearerToken, type BearerSession } from "../auth/sessions";
import { AppError, notFound, unauthorized } from "../errors";
import { consumeAllowances, consumeBurst, type Allowance } from "../rate-limit";
import { requestContextFrom, type RequestContext } from "../request-context";
import { DEFAULT_CALLER_LIMITS, type Endpoint } from "./endpoint";
import { IP_LIMITS } from "../limits";
import { describeZodError, emptyResponse, errorResponse, jsonResponse } from "./responses";
import { rateLimitSubject } from "../http/client-address";

/** Largest request body read at all: a full upload (100 + 100 keys) is about 230 KiB. */
export const MAX_BODY_BYTES = 512 * 1024;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Reply<E extends Endpoint> = E["success"] extends { contentType: string }
  ? Response
  : E["success"]["schema"] extends z.ZodType
    ? z.input<E["success"]["schema"]>
    : void;

type RouteInput<E extends Endpoint> = {
  request: Request;
  context: RequestContext;
  body: Parsed<E["body"]>;
  params: Parsed<E["params"]>;
  session: E["auth"] extends "bearer" ? BearerSession : null;
  /** The caller's allowances on this operation, for a `run` that charges them itself (`chargedByRun`). */
  callerAllowances: Allowance[];
};

type SegmentData = { params: Promise<Record<string, string | string[] | undefined>> };

/** A Next route handler that also names the endpoint it serves (for the OpenAPI coverage test). */
export type RouteHandler = ((request: Request, segment: SegmentData) => Promise<Response>) & { endpoint: Endpoint };

/**
 * Builds a route handler for `endpoint`: per-IP limit (public) or bearer authentication and the
 * caller's per-device and per-account limits, path parameters, body size, JSON and schema checks,
 * then `run`, whose result is sent with the endpoint's success status. Every error goes through
 * errorResponse.
 */
export function route<const E extends Endpoint>(endpoint: E, run: (input: RouteInput<E>) => Promise<Reply<E>>): RouteHandler {
  const handler = async (request: Request, segment: SegmentData): Promise<Response> => {
    try {
      const context = requestContextFrom(request.headers);
      const session = await checkCaller(endpoint, request, context);
      const params = endpoint.params ? parseParams(endpoint.params, await segment.params) : undefined;
      const body = endpoint.body ? parseBody(endpoint, await readJson(request)) : undefined;
      // Charged once the request is known to be valid: bad input changes nothing, not even allowances.
      const callerAllowances = session ? callerAllowancesOf(endpoint, session) : [];
      if (session && !endpoint.callerLimits?.chargedByRun) await consumeAllowances(callerAllowances);
      const reply = await run({ request, context, session, params, body, callerAllowances } as RouteInput<E>);
      if (reply instanceof Response) return reply;
      return endpoint.success.schema ? jsonResponse(reply, endpoint.success.status) : emptyResponse(endpoint.success.status);
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(handler, { endpoint });
}

async function checkCaller(endpoint: Endpoint, request: Request, context: RequestContext): Promise<BearerSession | null> {
  if (endpoint.auth === "public") {
    await consumeBurst(`ip:api:${rateLimitSubject(context.ip)}`, IP_LIMITS.publicApi);
    return null;
  }
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.get("authorization") ?? "");
  const session = match ? await authenticateBearerToken(match[1]!) : null;
  if (!session) throw unauthorized("Send a valid bearer token: Authorization: Bearer <token>.");
  return session;
}

/** The caller's allowances on `endpoint`, keyed by operation: polling the key count does not eat into uploads. */
export function callerAllowancesOf(endpoint: Endpoint, session: Pick<BearerSession, "userId" | "deviceId">): Allowance[] {
  const { perDevice, perAccount } = endpoint.callerLimits ?? DEFAULT_CALLER_LIMITS;
  return [
    { key: `api:${endpoint.operationId}:device:${session.deviceId}`, limit: perDevice },
    { key: `api:${endpoint.operationId}:account:${session.userId}`, limit: perAccount },
  ];
}

function parseParams(schema: z.ZodType, raw: unknown): unknown {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw notFound("No such user or device.");
  return parsed.data;
}

function parseBody(endpoint: Endpoint, raw: unknown): unknown {
  const oversized = endpoint.oversized?.(raw);
  if (oversized) throw new AppError("too_many_keys", oversized, 413);
  const parsed = endpoint.body!.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid_request", describeZodError(parsed.error), 400);
  return parsed.data;
}

/** The body as JSON, read no further than MAX_BODY_BYTES whatever Content-Length claims. */
async function readJson(request: Request): Promise<unknown> {
  const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, 413);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON.", 400);
  }
}
