import { answer, type PrecheckAnswer } from "./request-precheck";

// Server action calls carry their arguments as React's reply encoding. Next decodes it before any
// of our code runs and answers a body it cannot decode with its own 500 (ADR 0035). Every action
// here takes plain JSON-like arguments, which React sends as a text body holding a JSON array;
// so scripts/server.ts reads an action call's body first and lets through only that shape.

/** Next's default limit for a server action's body (serverActions.bodySizeLimit). */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * "$"-strings React writes inline in a plain JSON reply: an escaped "$", undefined, the special
 * numbers, a Date, a BigInt. Anything else that starts with "$" refers to an outlined part that a
 * text body cannot hold (a Map, a Promise, a file, a server reference).
 */
const INLINE_DOLLAR_VALUE = /^\$(?:\$.*|undefined|NaN|-?Infinity|-0|D.*|n-?\d+)$/s;

function onlyInlineValues(value: unknown): boolean {
  if (typeof value === "string") return !value.startsWith("$") || INLINE_DOLLAR_VALUE.test(value);
  if (Array.isArray(value)) return value.every(onlyInlineValues);
  if (value !== null && typeof value === "object") return Object.values(value).every(onlyInlineValues);
  return true;
}

/** Whether a request is a server action call (React sends the action's id in this header). */
export function isActionCall(method: string | undefined, headers: Record<string, string | string[] | undefined>): boolean {
  return method?.toUpperCase() === "POST" && headers["next-action"] !== undefined;
}

export const actionBodyTooLarge = (path: string): PrecheckAnswer => answer(path, 413, "too_large", "The request is too large.");

/** The refusal for an action call whose body Next could not decode, or null to let Next serve it. */
export function checkActionBody(path: string, contentType: string | undefined, body: Buffer): PrecheckAnswer | null {
  const refuse = () => answer(path, 400, "invalid_action_call", "The request could not be read: its arguments are not in the expected form.");
  if (/^multipart\//i.test(contentType ?? "")) return refuse(); // no action here takes files or form data
  let argumentsList: unknown;
  try {
    argumentsList = JSON.parse(body.toString("utf8"));
  } catch {
    return refuse();
  }
  return Array.isArray(argumentsList) && onlyInlineValues(argumentsList) ? null : refuse();
}
