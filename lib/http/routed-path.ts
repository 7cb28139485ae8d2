/**
 * The path Next routes a request to: Next serves "/./api/x", "/%2e/api/x" and "/x/../api/x" as
 * /api/x and redirects "//api/x" there, so this decodes escapes, reads backslashes as slashes,
 * collapses doubled slashes and resolves dot segments. Null for a path that cannot be decoded.
 * (It also turns "/%61pi/x" into /api/x, which Next serves as a 404 page: callers only use it to
 * give a path the API's stricter treatment, never a laxer one.)
 */
export function routedPath(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path).replaceAll("\\", "/").replace(/\/{2,}/g, "/");
    return new URL(`http://latchkey.invalid${decoded.startsWith("/") ? "" : "/"}${decoded}`).pathname;
  } catch {
    return null;
  }
}

export function isUnderApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}
