import { prisma } from "../lib/db";
import { createSession } from "../lib/auth/sessions";
import { createClientDevice } from "../lib/devices/devices";
import { createLatchkeyClient, type LatchkeyClient } from "../packages/client/src/index";
import { createTestUser } from "./db";

export type SignedInClient = { api: LatchkeyClient; token: string; userId: string; deviceId: string };

/**
 * A messaging client with a device and a bearer token, made directly in the database: for tests
 * about what a signed-in client can do (sign-in itself is tested through the API).
 */
export async function signedInClient(baseUrl: string, userId?: string): Promise<SignedInClient> {
  const ownerId = userId ?? (await createTestUser()).id;
  const { deviceId, token } = await prisma.$transaction(async (tx) => {
    const deviceId = await createClientDevice(tx, { userId: ownerId, name: "Test client" });
    const session = await createSession(tx, { userId: ownerId, deviceId, kind: "CLIENT" });
    return { deviceId, token: session.token };
  });
  return { api: createLatchkeyClient({ baseUrl, token }), token, userId: ownerId, deviceId };
}
