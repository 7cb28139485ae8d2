"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import { finishPasskeyRegistration, startPasskeyRegistration } from "@/lib/passkeys/registration";
import { passkeyIdSchema, registrationResponseSchema, renamePasskeySchema } from "@/lib/passkeys/schemas";
import { removeAccountPasskey, renameAccountPasskey } from "@/lib/settings/passkeys";

// Each action acts on the caller's own passkeys only: another account's passkey id is
// "No such passkey." (404) and nothing changes.

export const startPasskeyRegistrationAction = validatedActionWithSession({ name: "settings-passkey-start" }, z.object({}), async (_input, session) =>
  success(await startPasskeyRegistration(session)),
);

export const addPasskeyAction = validatedActionWithSession({ name: "settings-passkey-add" }, registrationResponseSchema, async (input, session, context) => {
  const added = await finishPasskeyRegistration(session, input, context);
  return success(added, `Passkey added: ${added.name}.`);
});

export const renamePasskeyAction = validatedActionWithSession({ name: "settings-passkey-rename" }, renamePasskeySchema, async (input, session, context) => {
  await renameAccountPasskey(session, input, context);
  return success(undefined, "Passkey renamed.");
});

export const removePasskeyAction = validatedActionWithSession({ name: "settings-passkey-remove" }, passkeyIdSchema, async (input, session, context) => {
  await removeAccountPasskey(session, input.passkeyId, context);
  return success(undefined, "Passkey removed.");
});
