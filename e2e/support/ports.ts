// Fixed loopback ports for the e2e run, overridable when they clash with something local.
const base = Number(process.env.E2E_BASE_PORT ?? 3100);

export const e2ePorts = {
  app: base,
  smtp: base + 1,
  sms: base + 2,
  capture: base + 3,
  oidc: base + 4,
};

// The app is reached as localhost, not 127.0.0.1: passkeys (WebAuthn) refuse an IP address as the
// relying party, and lib/env.ts refuses such an APP_URL at start-up.
export const e2eBaseUrl = `http://localhost:${e2ePorts.app}`;
export const captureUrl = `http://127.0.0.1:${e2ePorts.capture}`;
/** The test OpenID Connect provider (test/oidc-provider.ts) that "Continue with Test ID" signs in through. */
export const oidcIssuer = `http://127.0.0.1:${e2ePorts.oidc}`;
