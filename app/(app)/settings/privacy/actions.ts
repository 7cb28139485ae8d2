"use server";
import { success, validatedActionWithSession } from "@/lib/actions";
import { updateDiscoverySettings } from "@/lib/settings/privacy";
import { discoverySettingsSchema } from "@/lib/settings/schemas";

export const saveDiscoverySettingsAction = validatedActionWithSession({ name: "settings-privacy" }, discoverySettingsSchema, async (input, session, context) => {
  await updateDiscoverySettings(session, input, context);
  return success(undefined, "Your privacy settings were saved.");
});
