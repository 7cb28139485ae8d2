/** The query parameter that carries where to go back after signing in. */
export const RETURN_PARAM = "next";

/** The request header through which proxy.ts tells server components which page was asked for. */
export const REQUESTED_PATH_HEADER = "x-latchkey-requested-path";

const MAX_LENGTH = 512;

/**
 * `candidate` if it is a path on this site that is safe to send the browser to after sign-in, else
 * null. Only a plain absolute path: no scheme or host (`https://…`), no protocol-relative `//host`,
 * no backslash (browsers read `/\host` as `//host`), no control characters or whitespace (stripped
 * or folded by URL parsers), and not the auth pages themselves, so nobody loops back to sign-in.
 */
export function safeReturnPath(candidate: string | null | undefined): string | null {
  if (!candidate || candidate.length > MAX_LENGTH) return null;
  if (!candidate.startsWith("/") || candidate.startsWith("//")) return null;
  if (/[\\\s\u0000-\u001f\u007f]/.test(candidate)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(candidate);
  } catch {
    return null;
  }
  // A path that only becomes dangerous once decoded (`/%2F%2Fevil`, `/%5Cevil`) is refused too.
  if (decoded.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(decoded)) return null;
  const url = new URL(candidate, "https://latchkey.invalid");
  if (url.origin !== "https://latchkey.invalid") return null;
  if (/^\/(sign-in|sign-up|verify|reset|api)(\/|$)/.test(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}

/** The sign-in page, set to come back to `path` afterwards when that is safe. */
export function signInUrl(path: string | null | undefined): string {
  const back = safeReturnPath(path);
  return back ? `/sign-in?${new URLSearchParams({ [RETURN_PARAM]: back }).toString()}` : "/sign-in";
}
