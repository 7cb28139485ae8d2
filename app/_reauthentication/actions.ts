"use server";
import { z } from "zod";
import { success, validatedActionWithSession } from "@/lib/actions";
import {
  reauthenticateWithCode,
  reauthenticateWithPasskey,
  reauthenticateWithPassword,
  reauthenticateWithSecondFactor,
  sendReauthenticationCode,
  startPasskeyReauthentication,
} from "@/lib/settings/reauthenticate";
import { authenticationResponseSchema } from "@/lib/passkeys/schemas";
import { reauthenticateWithCodeSchema, reauthenticateWithPasswordSchema } from "@/lib/settings/schemas";
import { IP_LIMITS } from "@/lib/limits";
import { recoveryCodeSchema, twoStepCodeSchema } from "@/lib/validation/auth";

// "Confirm it's you", shared by the settings pages (email, phone, password, passkeys, account) and the
// admin's user page: 10 minutes of recent sign-in.

export const reauthenticateWithPasswordAction = validatedActionWithSession(
  { name: "settings-reauth-password", ipLimit: IP_LIMITS.confirmationAction },
  reauthenticateWithPasswordSchema,
  async (input, session) => {
    await reauthenticateWithPassword(session, input.password);
    return success(undefined);
  },
);

export const sendReauthenticationCodeAction = validatedActionWithSession(
  { name: "settings-reauth-send-code" },
  z.object({}),
  async (_input, session) => {
    const { sentTo } = await sendReauthenticationCode(session);
    return success({ sentTo }, `We sent a code to ${sentTo}.`);
  },
);

export const reauthenticateWithCodeAction = validatedActionWithSession(
  { name: "settings-reauth-code" },
  reauthenticateWithCodeSchema,
  async (input, session) => {
    await reauthenticateWithCode(session, input.code);
    return success(undefined);
  },
);

export const reauthenticateWithAppCodeAction = validatedActionWithSession(
  { name: "settings-reauth-app-code", ipLimit: IP_LIMITS.confirmationAction },
  twoStepCodeSchema,
  async (input, session, context) => {
    await reauthenticateWithSecondFactor(session, { totp: input.code }, context);
    return success(undefined);
  },
);

export const reauthenticateWithRecoveryCodeAction = validatedActionWithSession(
  { name: "settings-reauth-recovery-code", ipLimit: IP_LIMITS.confirmationAction },
  recoveryCodeSchema,
  async (input, session, context) => {
    await reauthenticateWithSecondFactor(session, { recoveryCode: input.recoveryCode }, context);
    return success(undefined);
  },
);

export const startPasskeyReauthenticationAction = validatedActionWithSession(
  { name: "settings-reauth-passkey-start" },
  z.object({}),
  async (_input, session) => success(await startPasskeyReauthentication(session)),
);

export const reauthenticateWithPasskeyAction = validatedActionWithSession(
  { name: "settings-reauth-passkey", ipLimit: IP_LIMITS.confirmationAction },
  authenticationResponseSchema,
  async (input, session, context) => {
    await reauthenticateWithPasskey(session, input, context);
    return success(undefined);
  },
);
