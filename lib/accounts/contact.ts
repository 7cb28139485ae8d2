import type { Tx } from "../db";
import type { CodeChannel } from "../generated/prisma/enums";
import type { User } from "../generated/prisma/client";
import { networkRequester, type CodeRequester } from "../verification/requester";

/** Where a person is reached: a normalised email address or an E.164 phone number. */
export type Contact = { channel: CodeChannel; destination: string };

export const emailContact = (email: string): Contact => ({ channel: "EMAIL", destination: email });

export function findUserByContact(tx: Tx, contact: Contact): Promise<User | null> {
  return contact.channel === "EMAIL"
    ? tx.user.findUnique({ where: { email: contact.destination } })
    : tx.user.findUnique({ where: { phoneNumber: contact.destination } });
}

/**
 * Who, signed out at `ip`, checks a code sent to `contact`: known when the account holding it has
 * signed in from that network lately (ADR 0080). The same statements run whether or not it exists.
 */
export async function contactCodeRequester(tx: Tx, contact: Contact, ip: string): Promise<CodeRequester> {
  return networkRequester(tx, ip, (await findUserByContact(tx, contact))?.id);
}

/** True once the person proved they receive mail (or SMS) at this contact. */
export function isContactVerified(user: User, contact: Contact): boolean {
  return contact.channel === "EMAIL" ? user.emailVerified : user.phoneVerified;
}

export function contactFields(contact: Contact) {
  return contact.channel === "EMAIL" ? { email: contact.destination } : { phoneNumber: contact.destination };
}

export function verifiedFlag(contact: Contact) {
  return contact.channel === "EMAIL" ? { emailVerified: true } : { phoneVerified: true };
}
