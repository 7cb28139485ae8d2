import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { cookies, headers } from "next/headers";
import { authSecret, env, oidcProviders, servedOverHttps } from "../env";
import type { OidcProvider } from "../validation/oidc-providers";
import { SESSION_LIFETIME_DAYS, endBrowserSession, redeemSignInTicket } from "./sessions";
import { requestContextFrom } from "../request-context";

/**
 * The single-use sign-in ticket travels in this cookie: httpOnly, so page scripts never see it, and
 * sent only to the ticket provider's callback, within the ticket's two minutes (ADR 0015).
 */
export const SIGN_IN_TICKET_COOKIE = { name: "latchkey_ticket", path: "/api/auth/callback/ticket", maxAgeSeconds: 120 } as const;

/**
 * What happens when a provider's ID token has passed next-auth's checks: the app's handler
 * (app/api/auth/[...nextauth]) signs in or links, and answers where the browser goes next.
 */
export type ProviderSignInHandler = (providerId: string, idTokenClaims: unknown) => Promise<string>;

/**
 * One configured OpenID Connect provider (ADR 0083): the authorization-code flow with PKCE, state
 * and nonce; the ID token is checked by openid-client (signature against the provider's keys, iss
 * from its discovery document, aud our client id, exp, nonce) and its claims are the profile.
 */
function oidcProvider(provider: OidcProvider): OAuthConfig<Record<string, unknown>> {
  return {
    id: provider.id,
    name: provider.name,
    type: "oauth",
    wellKnown: `${provider.issuer}/.well-known/openid-configuration`,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    authorization: { params: { scope: "openid email" } },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    profile: (claims) => ({ id: String(claims.sub) }),
  };
}

/**
 * next-auth (v4, JWT strategy) issues the browser's cookie. Latchkey's own flows (code, password,
 * link) verify the person and create a BROWSER Session row, then give the browser a single-use
 * ticket in an httpOnly cookie; the "ticket" credentials provider redeems it, and the JWT carries
 * the session id. Every request re-reads that row (lib/auth/current.ts), so revoking it signs the
 * browser out at once. A provider sign-in never gets a next-auth session of its own: the handler
 * starts a Latchkey sign-in the same way (or refuses), and the browser redeems its ticket too.
 */
export function authOptions(onProviderSignIn?: ProviderSignInHandler): AuthOptions {
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
      ...oidcProviders().map(oidcProvider),
    ],
    callbacks: {
      // Returning a URL ends next-auth's callback with a redirect and no session cookie.
      async signIn({ account, profile }) {
        if (account?.type !== "oauth") return true;
        return onProviderSignIn ? onProviderSignIn(account.provider, profile) : false;
      },
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
