import { humanPhoneNumber } from "@/lib/format/phone";
import type { AccountSummary } from "./account-menu";

type SignedInUser = { name: string | null; username: string | null; email: string | null; phoneNumber: string | null; role: string };

/** Up to two letters for the avatar: the first letters of the first two words, or of the one word. */
export function initialsOf(name: string): string {
  const words = name.replace(/^@/, "").split(/[\s._@-]+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[1]!].map((word) => [...word][0]) : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toLocaleUpperCase();
}

/** What the header's account menu shows of the signed-in person. */
export function accountSummary(user: SignedInUser): AccountSummary {
  const address = user.email ?? (user.phoneNumber ? humanPhoneNumber(user.phoneNumber) : null);
  const name = user.name?.trim() || (user.username ? `@${user.username}` : (address ?? "Your account"));
  return { name, address: address === name ? null : address, initials: initialsOf(name), isAdmin: user.role === "ADMIN" };
}
