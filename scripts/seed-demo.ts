// `npm run db:seed-demo`: fills a development database with demo accounts, devices, keys and
// history (scripts/support/demo-data.ts), so the admin dashboard has something to show. Refuses a
// second run and production. Database: as for admin:create (scripts/support/script-database.ts).
import { DEMO_DOMAIN, seedDemoData } from "./support/demo-data";
import { withScriptDatabase } from "./support/script-database";

async function main(): Promise<void> {
  if (process.env.NODE_ENV === "production") throw new Error("Refusing to seed demo data with NODE_ENV=production.");
  await withScriptDatabase(async () => {
    const seeded = await seedDemoData();
    console.log(
      seeded
        ? `Seeded ${seeded.users} demo accounts with ${seeded.devices} devices, their keys, sessions and 30 days of history.`
        : `Demo data is already there (accounts @${DEMO_DOMAIN}); nothing changed.`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
