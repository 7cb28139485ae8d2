"use server";
import { success } from "@/lib/actions";
import { changeRole, deactivateUser, deleteUser, reactivateUser, resendVerification, revokeUserDevice, turnOffUserTwoStep } from "@/lib/admin/actions";
import { adminUserSchema, changeRoleSchema, deleteUserSchema, revokeDeviceSchema } from "@/lib/admin/schemas";
import { actorOf, adminAction } from "../../admin-action";

export const deactivateUserAction = adminAction("deactivate", adminUserSchema, async ({ userId }, admin, context) => {
  const { sessionsEnded } = await deactivateUser({ actor: actorOf(admin), userId, context });
  return success(undefined, `Account deactivated; ${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"} ended.`);
});

export const reactivateUserAction = adminAction("reactivate", adminUserSchema, async ({ userId }, admin, context) => {
  await reactivateUser({ actor: actorOf(admin), userId, context });
  return success(undefined, "Account reactivated. The person can sign in again.");
});

export const changeRoleAction = adminAction("change-role", changeRoleSchema, async ({ userId, role }, admin, context) => {
  await changeRole({ actor: actorOf(admin), userId, role, context });
  return success(undefined, role === "ADMIN" ? "The account is now an admin." : "The account is no longer an admin.");
});

export const revokeDeviceAction = adminAction("revoke-device", revokeDeviceSchema, async ({ userId, deviceId }, admin, context) => {
  await revokeUserDevice({ actor: actorOf(admin), userId, deviceId, context });
  return success(undefined, "Device revoked: its sessions ended and its keys were deleted.");
});

export const resendVerificationAction = adminAction("resend-verification", adminUserSchema, async ({ userId }, admin, context) => {
  const { channel } = await resendVerification({ actor: actorOf(admin), userId, context });
  return success(undefined, channel === "EMAIL" ? "A new verification mail is on its way." : "A new verification code was texted.");
});

export const deleteUserAction = adminAction("delete", deleteUserSchema, async ({ userId }, admin, context) => {
  await deleteUser({ actor: actorOf(admin), userId, context });
  return success(undefined, "Account deleted.");
});

export const turnOffTwoStepAction = adminAction("turn-off-two-step", adminUserSchema, async ({ userId }, admin, context) => {
  await turnOffUserTwoStep({ actor: actorOf(admin), userId, context });
  return success(undefined, "Two-step verification is off for this account. The person was told by mail.");
});
