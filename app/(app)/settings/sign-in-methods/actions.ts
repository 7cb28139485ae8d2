"use server";
import { cookies } from "next/headers";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { assertRecentSignIn } from "@/lib/auth/recent-sign-in";
import { oidcProviders, servedOverHttps } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { unlinkProvider } from "@/lib/settings/sign-in-methods";
import { LINK_INTENT_COOKIE } from "./link-intent";

const nameOf = (id: string) => oidcProviders().find((provider) => provider.id === id)?.name ?? id;

/** Before the browser goes to the provider: remembers that this signed-in owner asked to link it. */
export const startLinkAction = validatedActionWithSession({ name: "settings-link-provider" }, z.object({ provider: z.string().max(32) }), async (input, session) => {
  assertRecentSignIn(session);
  if (!oidcProviders().some((provider) => provider.id === input.provider)) throw new AppError("unknown_provider", "That provider is not offered here.", 400);
  (await cookies()).set(LINK_INTENT_COOKIE.name, input.provider, {
    httpOnly: true,
    sameSite: "lax",
    secure: servedOverHttps(),
    path: LINK_INTENT_COOKIE.path,
    maxAge: LINK_INTENT_COOKIE.maxAgeSeconds,
  });
  return success(undefined);
});

export const unlinkProviderAction = validatedActionWithSession({ name: "settings-unlink-provider" }, z.object({ identityId: z.uuid() }), async (input, session, context) => {
  await unlinkProvider(session, input.identityId, nameOf, context);
  return success(undefined, "Unlinked. It can no longer sign in to your account.");
});
