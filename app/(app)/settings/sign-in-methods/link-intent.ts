// The owner asked to link a provider (ADR 0083): set by the link action after "Confirm it's you",
// read once by the provider's callback, which links only for this provider and the session that
// is signed in there. httpOnly, sent only to the callbacks, and lax: it rides the top-level
// redirect back from the provider.
export const LINK_INTENT_COOKIE = { name: "latchkey_link", path: "/api/auth/callback", maxAgeSeconds: 10 * 60 } as const;

export const SIGN_IN_METHODS_PATH = "/settings/sign-in-methods";
