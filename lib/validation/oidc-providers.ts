import { z } from "zod";
import { jsonText } from "./json-text";

// "Continue with …" (issue 24 §2, ADR 0083): the identity providers an operator configures in
// OIDC_PROVIDERS, a JSON array. A preset fills in the issuer and the button's name; any other
// OpenID Connect provider names its own. Only OpenID Connect: an ID token bound to our client
// (aud), to this sign-in (nonce) and to its issuer (iss) is what the sign-in trusts.

/** What a provider is known as in URLs and in the linked-identities table: lower-case, short. */
const providerId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, "must be 2–32 lower-case letters, digits or dashes, starting with a letter")
  // "ticket" is next-auth's provider for Latchkey's own sign-ins (lib/auth/next-auth.ts).
  .refine((id) => id !== "ticket", "\"ticket\" is taken by Latchkey's own sign-in");

const common = {
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  // Trust the provider's `amr` claim for a second factor, so two-step verification does not ask
  // again (ADR 0083); off unless the operator knows how the provider fills it.
  trustAmr: z.boolean().default(false),
};

const providerEntry = z.discriminatedUnion("preset", [
  z.object({ preset: z.literal("google"), ...common }),
  // Microsoft's multi-tenant issuer differs per tenant, so the ID token's iss could not be checked
  // against "common": one directory (tenant id or domain) per entry.
  z.object({ preset: z.literal("microsoft"), tenant: z.string().regex(/^[A-Za-z0-9.-]+$/), ...common }),
  z.object({
    preset: z.literal("custom").default("custom"),
    id: providerId,
    name: z.string().min(1).max(40),
    issuer: z.url({ protocol: /^https?$/ }),
    ...common,
  }),
]);

export type OidcProvider = {
  id: string;
  /** As the button says it: "Continue with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  trustAmr: boolean;
};

function resolve(entry: z.output<typeof providerEntry>): OidcProvider {
  const { clientId, clientSecret, trustAmr } = entry;
  switch (entry.preset) {
    case "google":
      return { id: "google", name: "Google", issuer: "https://accounts.google.com", clientId, clientSecret, trustAmr };
    case "microsoft":
      return { id: "microsoft", name: "Microsoft", issuer: `https://login.microsoftonline.com/${entry.tenant}/v2.0`, clientId, clientSecret, trustAmr };
    case "custom":
      return { id: entry.id, name: entry.name, issuer: entry.issuer.replace(/\/$/, ""), clientId, clientSecret, trustAmr };
  }
}

/** OIDC_PROVIDERS: a JSON array of entries (empty or unset: no provider, no button). */
export const oidcProvidersSchema = jsonText('must be a JSON array, like [{"preset":"google","clientId":"…","clientSecret":"…"}]')
  .pipe(z.array(z.preprocess((entry) => (entry && typeof entry === "object" && !("preset" in entry) ? { ...entry, preset: "custom" } : entry), providerEntry)))
  .transform((entries) => entries.map(resolve))
  .refine((providers) => new Set(providers.map((provider) => provider.id)).size === providers.length, "each provider id may appear once");

/**
 * What a sign-in takes from a provider's ID token, after next-auth (openid-client) has checked its
 * signature, iss, aud, exp and nonce. Apple sends email_verified as the string "true".
 */
export const idTokenClaimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1).max(255),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()).optional().catch(undefined),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]).optional().catch(undefined),
  amr: z.array(z.string()).optional().catch(undefined),
});

export type IdTokenClaims = z.output<typeof idTokenClaimsSchema>;
