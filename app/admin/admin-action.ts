import "server-only";
import type { z } from "zod";
import { validatedActionWithSession, type ActionResult } from "@/lib/actions";
import type { LiveSession } from "@/lib/auth/sessions";
import { requireAdmin } from "@/lib/auth/current";
import type { RequestContext } from "@/lib/request-context";
import type { AdminActor } from "@/lib/admin/actions";

/** The acting admin as lib/admin/actions.ts checks them: who, and when this session last proved it. */
export const actorOf = (admin: LiveSession): AdminActor => ({ id: admin.user.id, authenticatedAt: admin.authenticatedAt });

/**
 * A server action for admins: validated and rate limited like every action, then the caller must
 * be a signed-in admin (404 otherwise, as for the pages). lib/admin/actions.ts checks the role
 * once more inside its transaction, so a demotion between the two checks still refuses.
 */
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  run: (input: z.output<S>, admin: LiveSession, context: RequestContext) => Promise<ActionResult<T>>,
) {
  return validatedActionWithSession({ name: `admin-${name}` }, schema, async (input, _session, context) =>
    run(input, await requireAdmin(), context),
  );
}
