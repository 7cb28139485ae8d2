import Provider from "oidc-provider";
import type { AddressInfo } from "node:net";

// A real OpenID Connect provider for tests of "Continue with …" (ADR 0083): oidc-provider (a
// certified implementation) on loopback, with its development login and consent pages. No account
// list to keep: whoever signs in types a login of the form `<person>:<email>`, and that login is the
// subject; a person named `unverified…` has an email the provider has not verified.

export const TEST_CLIENT = { clientId: "latchkey-test", clientSecret: "latchkey-test-secret-0123456789abcdef" } as const;
/** Another relying party at the same provider, whose codes must never sign in to Latchkey. */
export const OTHER_CLIENT = { clientId: "another-app", clientSecret: "another-app-secret-0123456789abcdef" } as const;

export function claimsOfLogin(login: string): { sub: string; email?: string; email_verified?: boolean } {
  const [person = "", email] = login.split(":");
  return { sub: login, ...(email ? { email, email_verified: !person.startsWith("unverified") } : {}) };
}

/** `OIDC_PROVIDERS` for an app reached at `appUrl`, signing in through the provider at `issuer`. */
export const oidcProvidersSetting = (issuer: string) =>
  JSON.stringify([{ id: "testid", name: "Test ID", issuer, clientId: TEST_CLIENT.clientId, clientSecret: TEST_CLIENT.clientSecret }]);

export async function startOidcProvider(options: { appUrl: string; port?: number }) {
  const callback = `${options.appUrl}/api/auth/callback/testid`;
  const port = options.port ?? 0;
  let issuer = `http://127.0.0.1:${port}`;
  const build = () =>
    new Provider(issuer, {
      clients: [TEST_CLIENT, OTHER_CLIENT].map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [callback],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      })),
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => claimsOfLogin(sub) }),
      claims: { openid: ["sub"], email: ["email", "email_verified"] },
      // Email claims in the ID token itself, as Google's: next-auth reads the ID token, not userinfo.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      cookies: { keys: ["oidc-test-cookie-key"] },
    });
  let provider = build();
  const server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  if (port === 0) {
    // The issuer is part of every token: with a port chosen by the system, start again knowing it.
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    provider = build();
    server.removeAllListeners("request");
    server.on("request", provider.callback());
  }
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
