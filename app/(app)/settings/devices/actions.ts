"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { renameAccountDevice, signOutDevice, signOutEverywhereElse } from "@/lib/settings/devices";
import { deviceIdSchema, renameDeviceSchema } from "@/lib/settings/schemas";

// Each action acts on the caller's own rows only: lib/devices/devices.ts matches the device on
// (id, userId), so another account's device id is "No such device." (404) and nothing changes.

export const renameDeviceAction = validatedActionWithSession({ name: "settings-device-rename" }, renameDeviceSchema, async (input, session, context) => {
  await renameAccountDevice(session, input, context);
  return success(undefined, "Device renamed.");
});

export const signOutDeviceAction = validatedActionWithSession({ name: "settings-device-sign-out" }, deviceIdSchema, async (input, session, context) => {
  await signOutDevice(session, input.deviceId, context);
  return success(undefined, "That device was signed out.");
});

export const signOutEverywhereElseAction = validatedActionWithSession(
  { name: "settings-device-sign-out-others" },
  z.object({}),
  async (_input, session, context) => {
    const { devicesRevoked, sessionsEnded } = await signOutEverywhereElse(session, context);
    const total = devicesRevoked + sessionsEnded;
    return success(undefined, total === 0 ? "No other device was signed in." : "Every other device was signed out.");
  },
);
