// `npm run admin:create -- <email>`: creates the account of <email> as an admin, or promotes it.
// Database: DATABASE_URL, else the running dev server's embedded PostgreSQL, else the embedded
// one started for this command (scripts/support/script-database.ts).
import { ZodError } from "zod";
import { createOrPromoteAdmin } from "../lib/admin/create-admin";
import { withScriptDatabase } from "./support/script-database";

async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email || process.argv.length > 3) {
    console.error("usage: npm run admin:create -- <email>");
    process.exitCode = 2;
    return;
  }
  const { outcome, email: address, isActive } = await withScriptDatabase(() => createOrPromoteAdmin(email));
  const messages = {
    created: `Created an admin account for ${address}. Sign in at /sign-in with a code sent to that address.`,
    promoted: `${address} is now an admin.`,
    already_admin: `${address} was already an admin; nothing changed.`,
  };
  console.log(messages[outcome]);
  if (!isActive) console.log("Note: this account is deactivated; another admin must reactivate it before it can sign in.");
}

main().catch((error: unknown) => {
  console.error(error instanceof ZodError ? error.issues.map((issue) => issue.message).join("\n") : error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
