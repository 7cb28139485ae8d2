import { humanPhoneNumber } from "../format/phone";
import { prisma } from "../db";
import { listSecurityActivity, type ActivityEvent } from "./activity";
import { listAccountDevices, type AccountDevice } from "./devices";
import type { SessionRef } from "../auth/recent-sign-in";

/** How many security events the home page shows (the rest are one link away). */
export const OVERVIEW_EVENTS = 5;

/** The account at a glance, for /home: each part is a summary of one settings page. */
type AccountOverview = {
  signInMethods: {
    email: { address: string; verified: boolean } | null;
    /** International format for people ("+44 7911 123456"); only a confirmed number is shown. */
    phone: string | null;
    hasPassword: boolean;
    passkeys: number;
  };
  devices: {
    signedIn: number;
    /** The other device seen most recently, where the account is signed in besides this browser. */
    latestElsewhere: Pick<AccountDevice, "name" | "kind" | "lastSeenAt"> | null;
  };
  recentEvents: ActivityEvent[];
};

export async function accountOverview(session: Pick<SessionRef, "userId" | "deviceId">): Promise<AccountOverview> {
  const [user, passkeys, devices, activity] = await Promise.all([
    prisma.user.findUniqueOrThrow({
      where: { id: session.userId },
      select: { email: true, emailVerified: true, phoneNumber: true, phoneVerified: true, password: true },
    }),
    prisma.passkey.count({ where: { userId: session.userId } }),
    listAccountDevices(session),
    listSecurityActivity(session.userId, { limit: OVERVIEW_EVENTS }),
  ]);
  const signedIn = devices.filter((device) => device.signedIn);
  const latestElsewhere = signedIn
    .filter((device) => !device.isCurrent && device.lastSeenAt)
    .sort((a, b) => b.lastSeenAt!.getTime() - a.lastSeenAt!.getTime())[0];
  return {
    signInMethods: {
      email: user.email ? { address: user.email, verified: user.emailVerified } : null,
      phone: user.phoneNumber && user.phoneVerified ? humanPhoneNumber(user.phoneNumber) : null,
      // Whether there is one, never the hash.
      hasPassword: user.password !== null,
      passkeys,
    },
    devices: {
      signedIn: signedIn.length,
      latestElsewhere: latestElsewhere ? { name: latestElsewhere.name, kind: latestElsewhere.kind, lastSeenAt: latestElsewhere.lastSeenAt } : null,
    },
    recentEvents: activity.events,
  };
}
