import { NextResponse, type NextRequest } from "next/server";
import { servedOverHttps } from "@/lib/env";
import { REQUESTED_PATH_HEADER } from "@/lib/auth/return-path";
import {
  STRICT_TRANSPORT_SECURITY,
  apiSecurityHeaders,
  isApiPath,
  newNonce,
  pageContentSecurityPolicy,
} from "@/lib/http/security-headers";

/**
 * Security headers that depend on the request or on APP_URL (ADR 0025, 0026). Pages get a
 * per-request CSP nonce: the request's own copy of the policy is how Next learns the nonce for its
 * scripts. No authentication here: every page, action and route checks that itself. API answers
 * get theirs from scripts/server.ts and skip the proxy (ADR 0058); the branch below serves an API
 * path spelled so that the matcher did not recognise it.
 */
export function proxy(request: NextRequest) {
  const https = servedOverHttps();
  let response: NextResponse;
  if (isApiPath(request.nextUrl.pathname)) {
    response = NextResponse.next();
    for (const [name, value] of Object.entries(apiSecurityHeaders(request.nextUrl.pathname, https))) response.headers.set(name, value);
  } else {
    const policy = pageContentSecurityPolicy({ nonce: newNonce(), https, development: process.env.NODE_ENV === "development" });
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("Content-Security-Policy", policy);
    // Which page was asked for, so a page that needs a sign-in can come back to it afterwards.
    requestHeaders.set(REQUESTED_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
    response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set("Content-Security-Policy", policy);
    if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  return response;
}

export const config = {
  // Build output and static files carry no secrets and run no inline code.
  // API answers get their headers in scripts/server.ts, which spares the hot path the proxy's cost.
  matcher: ["/((?!api/|api$|_next/static|_next/image|favicon.ico).*)"],
};
