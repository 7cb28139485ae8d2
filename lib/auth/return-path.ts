/** The query parameter that carries where to go back after signing in. */
export const RETURN_PARAM = "next";

/** The request header through which proxy.ts tells server components which page was asked for. */
export const REQUESTED_PATH_HEADER = "x-latchkey-requested-path";

const MAX_LENGTH = 512;

const BASE = "https://latchkey.invalid";

/** The checks a path must pass as written: a plain absolute path that cannot name another host. */
function plainPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//")) return false;
  if (/[\\\s\u0000-\u001f\u007f]/.test(path)) return false;
  // A path that only becomes dangerous once decoded (`/%2F%2Fevil`, `/%5Cevil`), or decoded again by
  // something downstream (`/%252F%252Fevil`), is refused too.
  let decoded = path;
  for (let layer = 0; layer < 3; layer += 1) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return false;
    }
    if (/^\/[./]*\/|[\\\u0000-\u001f\u007f]/.test(decoded)) return false;
  }
  return true;
}

/**
 * `candidate` if it is a path on this site that is safe to send the browser to after sign-in, else
 * null. Only a plain absolute path: no scheme or host (`https://…`), no protocol-relative `//host`,
 * no backslash (browsers read `/\host` as `//host`), no control characters or whitespace (stripped
 * or folded by URL parsers), and not the auth pages themselves, so nobody loops back to sign-in.
 * The path is checked again after URL normalisation, which resolves dot segments and so can turn a
 * harmless-looking `/.//evil.example` into the protocol-relative `//evil.example` (issue 22, item 3);
 * what is returned is that normalised form, and it must normalise to itself.
 */
export function safeReturnPath(candidate: string | null | undefined): string | null {
  if (!candidate || candidate.length > MAX_LENGTH || !plainPath(candidate)) return null;
  const url = new URL(candidate, BASE);
  if (url.origin !== BASE) return null;
  const normalised = url.pathname + url.search + url.hash;
  if (!plainPath(normalised) || new URL(normalised, BASE).href !== url.href) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname).toLowerCase();
  } catch {
    return null;
  }
  if (/^\/(sign-in|sign-up|verify|reset|api)(\/|$)/.test(pathname)) return null;
  return normalised;
}

/** The sign-in page, set to come back to `path` afterwards when that is safe. */
export function signInUrl(path: string | null | undefined): string {
  const back = safeReturnPath(path);
  return back ? `/sign-in?${new URLSearchParams({ [RETURN_PARAM]: back }).toString()}` : "/sign-in";
}
