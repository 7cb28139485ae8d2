import { lookUpPhoneNumbers } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route";
import { findUsersByPhoneNumbers } from "@/lib/discovery/lookup";

export const POST = route(lookUpPhoneNumbers, async ({ body, callerAllowances }) => ({
  // Asking twice for a number costs once.
  matches: await findUsersByPhoneNumbers([...new Set(body.phoneNumbers)], callerAllowances),
}));
