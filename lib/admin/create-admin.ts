import { prisma } from "../db";
import { recordAudit } from "../audit";
import { emailSchema } from "../validation/contact";

type CreateAdminOutcome = "created" | "promoted" | "already_admin";

/**
 * `npm run admin:create -- <email>`: makes the account of `email` an admin, creating it when there
 * is none. A created account has no password and an unverified address; its owner signs in with
 * an emailed code, which proves the address. The operator who runs this is trusted, unlike
 * ADMIN_EMAILS at sign-in, which waits for the address to be verified.
 */
export async function createOrPromoteAdmin(rawEmail: string): Promise<{ outcome: CreateAdminOutcome; userId: string; email: string; isActive: boolean }> {
  const email = emailSchema.parse(rawEmail);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing?.role === "ADMIN") return { outcome: "already_admin", userId: existing.id, email, isActive: existing.isActive };
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: "ADMIN" } })
      : await tx.user.create({ data: { email, role: "ADMIN" } });
    await recordAudit({ action: "admin.user_promoted", userId: user.id, metadata: { reason: "admin:create", created: !existing } }, tx);
    return { outcome: existing ? "promoted" : "created", userId: user.id, email, isActive: user.isActive };
  });
}
