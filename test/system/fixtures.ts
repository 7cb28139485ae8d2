// Accounts, devices and sessions made directly in a system test's database, for tests about what
// signed-in clients and browsers can do (signing in itself is tested through the API and e2e).
// The lib modules read DATABASE_URL once per process: call systemFixtures before anything else
// imports lib/db.

export async function systemFixtures(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  const [{ prisma, disconnectPrisma }, { createSession }, { createClientDevice, findOrCreateBrowserDevice }, { createTestUser }] = await Promise.all([
    import("../../lib/db"),
    import("../../lib/auth/sessions"),
    import("../../lib/devices/devices"),
    import("../db"),
  ]);

  /** A messaging client's device and bearer token. */
  async function client(userId?: string) {
    const ownerId = userId ?? (await createTestUser()).id;
    return prisma.$transaction(async (tx) => {
      const deviceId = await createClientDevice(tx, { userId: ownerId, name: "System test client" });
      const { token } = await createSession(tx, { userId: ownerId, deviceId, kind: "CLIENT" });
      return { userId: ownerId, deviceId, token, authorization: `Bearer ${token}` };
    });
  }

  /**
   * A browser signed in through next-auth on `appUrl`, exactly as after a code or password check:
   * a BROWSER session whose single-use ticket the credentials provider redeems for the cookie.
   */
  async function browser(appUrl: string, userId: string) {
    const { deviceId, ticket } = await prisma.$transaction(async (tx) => {
      const device = await findOrCreateBrowserDevice(tx, { userId, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140" });
      const session = await createSession(tx, { userId, deviceId: device.deviceId, kind: "BROWSER" });
      return { deviceId: device.deviceId, ticket: session.token };
    });
    const csrf = await fetch(`${appUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookies = cookiePairs(csrf.headers.getSetCookie());
    const signIn = await fetch(`${appUrl}/api/auth/callback/ticket`, {
      method: "POST",
      redirect: "manual",
      // The ticket travels in its httpOnly cookie, as the sign-in action sets it (ADR 0015).
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...cookies, `latchkey_ticket=${ticket}`].join("; ") /* SIGN_IN_TICKET_COOKIE in lib/auth/next-auth.ts */ },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    const sessionCookie = cookiePairs(signIn.headers.getSetCookie()).find((pair) => pair.startsWith("next-auth.session-token="));
    if (!sessionCookie) throw new Error(`next-auth issued no session cookie (status ${signIn.status})`);
    return { deviceId, cookie: sessionCookie };
  }

  return { prisma, createTestUser, client, browser, close: disconnectPrisma };
}

function cookiePairs(setCookies: string[]): string[] {
  return setCookies.map((header) => header.split(";")[0]!);
}
