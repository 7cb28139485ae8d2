import "server-only";
import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { currentRequestContext, getCurrentSession } from "@/lib/auth/current";
import { identityOf, signInWithProvider } from "@/lib/accounts/oidc-sign-in";
import { linkProvider } from "@/lib/settings/sign-in-methods";
import { env, oidcProviders } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { idTokenClaimsSchema } from "@/lib/validation/oidc-providers";
import { currentBrowserKey, finishBrowserSignIn } from "@/app/(auth)/browser-device";
import { LINK_INTENT_COOKIE, SIGN_IN_METHODS_PATH } from "@/app/(app)/settings/sign-in-methods/link-intent";

// What a provider's checked ID token leads to (ADR 0083): a link, when the signed-in owner asked
// for one from settings; otherwise a Latchkey sign-in started exactly like a code or password one
// (device, session, audit, two-step step), finished by /sign-in/continue redeeming its ticket.

const at = (path: string, params: Record<string, string> = {}) => {
  const url = new URL(path, env().APP_URL);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
};

/** next-auth puts a thrown error's message in the error page's URL: a fault is logged here instead. */
export async function providerSignIn(providerId: string, idTokenClaims: unknown): Promise<string> {
  try {
    return await linkOrSignIn(providerId, idTokenClaims);
  } catch (error) {
    const requestId = randomUUID();
    console.error(`[auth] provider sign-in ${requestId} failed`, error);
    return at("/sign-in", { error: "Callback" });
  }
}

async function linkOrSignIn(providerId: string, idTokenClaims: unknown): Promise<string> {
  const provider = oidcProviders().find((candidate) => candidate.id === providerId);
  const claims = idTokenClaimsSchema.safeParse(idTokenClaims);
  if (!provider || !claims.success) return at("/sign-in", { error: "OAuthCallback" });
  const context = await currentRequestContext();
  const jar = await cookies();
  const intent = jar.get(LINK_INTENT_COOKIE.name)?.value;
  if (intent !== undefined) {
    jar.delete({ name: LINK_INTENT_COOKIE.name, path: LINK_INTENT_COOKIE.path });
    const session = await getCurrentSession();
    // A link needs the owner signed in here, asking for this provider; anything else links nothing.
    if (!session || intent !== provider.id) return at(SIGN_IN_METHODS_PATH, { error: "link_expired" });
    try {
      await linkProvider(session, provider, identityOf(provider, claims.data), context);
      return at(SIGN_IN_METHODS_PATH, { linked: provider.id });
    } catch (error) {
      if (error instanceof AppError) return at(SIGN_IN_METHODS_PATH, { error: error.code, provider: provider.id });
      throw error;
    }
  }
  try {
    const result = await finishBrowserSignIn(signInWithProvider({ provider, claims: claims.data, browserKey: await currentBrowserKey() }, context));
    return at("/sign-in/continue", result.ok ? { to: result.data.destination } : {});
  } catch (error) {
    if (error instanceof AppError) return at("/sign-in", { refused: error.code, provider: provider.id });
    throw error;
  }
}
