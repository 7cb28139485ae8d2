import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { authSecret, env, servedOverHttps } from "../env";
import { SESSION_LIFETIME_DAYS, endBrowserSession, redeemSignInTicket } from "./sessions";
import { requestContextFrom } from "../request-context";

/**
 * The single-use sign-in ticket travels in this cookie: httpOnly, so page scripts never see it, and
 * sent only to the ticket provider's callback, within the ticket's two minutes (ADR 0015).
 */
export const SIGN_IN_TICKET_COOKIE = { name: "latchkey_ticket", path: "/api/auth/callback/ticket", maxAgeSeconds: 120 } as const;

/**
 * next-auth (v4, JWT strategy) issues the browser's cookie. Latchkey's own flows (code, password,
 * link) verify the person and create a BROWSER Session row, then give the browser a single-use
 * ticket in an httpOnly cookie; the "ticket" credentials provider redeems it, and the JWT carries
 * the session id. Every request re-reads that row (lib/auth/current.ts), so revoking it signs the
 * browser out at once.
 */
export function authOptions(): AuthOptions {
  // next-auth builds its redirects and callback URLs from NEXTAUTH_URL, read on every request, and
  // falls back to http://localhost:3000 without it: APP_URL is the one public-URL setting.
  process.env.NEXTAUTH_URL = env().APP_URL;
  return {
    secret: authSecret(),
    // From APP_URL, not NEXTAUTH_URL: with an https public URL the cookies are Secure and carry the
    // __Secure-/__Host- prefixes (ADR 0025). getServerSession reads them by the same names.
    useSecureCookies: servedOverHttps(),
    session: { strategy: "jwt", maxAge: SESSION_LIFETIME_DAYS.BROWSER * 86_400 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "ticket",
        name: "Sign-in ticket",
        credentials: {},
        async authorize() {
          const ticket = (await cookies()).get(SIGN_IN_TICKET_COOKIE.name)?.value ?? "";
          const session = await redeemSignInTicket(ticket);
          return session ? { id: session.userId, sessionId: session.id } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "sessionId" in user) token.sid = user.sessionId as string;
        return token;
      },
      session({ session, token }) {
        return { ...session, sid: token.sid };
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await endBrowserSession(token.sid, requestContextFrom(await headers()));
      },
    },
  };
}
