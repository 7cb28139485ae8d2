import type { Prisma } from "../generated/prisma/client";

/** How long a sign-up nobody confirmed keeps its address before the cleanup job deletes it (ADR 0075). */
export const UNCONFIRMED_SIGN_UP_HOURS = 24;

/**
 * A sign-up nobody confirmed: anyone can start one for any address or number without proving
 * anything, so it never owns them (ADR 0075). An account that ever confirmed a contact, signed in
 * or became an admin (`admin:create` makes unconfirmed admins on purpose) is never one.
 */
export const unconfirmedSignUp = {
  role: "USER",
  emailVerified: false,
  phoneVerified: false,
  lastLoginAt: null,
  sessions: { none: {} },
  devices: { none: {} },
} satisfies Prisma.UserWhereInput;
