import { z } from "../validation/zod";

// Inputs of the admin actions, shared by the forms (client) and the server actions.

const userId = z.uuid("No such user.");

export const adminUserSchema = z.object({ userId });
export const changeRoleSchema = z.object({ userId, role: z.enum(["USER", "ADMIN"]) });
export const revokeDeviceSchema = z.object({ userId, deviceId: z.uuid("No such device.") });

/** Deleting is the one action with no way back, so it takes a typed confirmation. */
export const DELETE_CONFIRMATION = "DELETE";
export const deleteUserSchema = z.object({
  userId,
  confirmation: z.literal(DELETE_CONFIRMATION, { error: `Type ${DELETE_CONFIRMATION} to confirm.` }),
});
