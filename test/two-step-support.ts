import { Secret, TOTP } from "otpauth";
import { hashPassword } from "../lib/auth/password";
import { confirmTwoStepSetup, startTwoStepSetup } from "../lib/two-step/two-step";
import { createTestUser } from "./db";

/** The code an authenticator app shows `steps` periods from now, for the key shown as text. */
export function codeAt(key: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(key.replace(/ /g, "")), digits: 6, period: 30 }).generate({ timestamp: Date.now() + steps * 30_000 });
}

/** Waits out the last seconds of a 30-second step, so a code computed now is still of this step when checked. */
export async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - intoStep));
}

/** An account (with `password` when given) and two-step verification on; the confirming step is spent, so use codeAt(key, 1). */
export async function accountWithTwoStep(password?: string, context = { ip: "198.51.100.1", userAgent: "vitest" }) {
  const user = await createTestUser(password ? { password: await hashPassword(password) } : {});
  const setup = await startTwoStepSetup(user.id, user.email!);
  await awayFromStepEdge();
  const { recoveryCodes } = await confirmTwoStepSetup(user.id, codeAt(setup.secret), context);
  return { user, key: setup.secret, recoveryCodes };
}
