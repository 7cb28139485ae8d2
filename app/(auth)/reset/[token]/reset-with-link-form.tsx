"use client";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { FormShell } from "@/components/forms/form-shell";
import { useActionForm } from "@/components/forms/use-action-form";
import { completeSignIn } from "@/components/auth/complete-sign-in";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { SecondFactorField } from "@/components/auth/second-factor-field";
import { resetWithLinkSchema } from "@/lib/validation/auth";
import { resetWithLinkAction } from "../actions";

type Passkey = { id: string; name: string; createdAt: Date };

/**
 * Whoever could reset the password may have added a passkey of their own: the form offers to
 * remove every passkey, listed by name and date, checked by default (ADR 0064). With two-step
 * verification on, the second factor is asked here, before anything changes (ADR 0087).
 */
export function ResetWithLinkForm({ token, passkeys, askSecondFactor }: { token: string; passkeys: Passkey[]; askSecondFactor: boolean }) {
  const { form, submit, message, setMessage, pending, errorOf } = useActionForm(resetWithLinkSchema, resetWithLinkAction, {
    defaultValues: { token, password: "", removePasskeys: passkeys.length > 0, secondFactor: "" },
    onSuccess: async ({ destination }) => {
      if (!(await completeSignIn(destination))) setMessage({ tone: "error", text: "Your password is reset. Sign in to continue." });
    },
  });
  return (
    <Card>
      <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Set new password" label="Choose a new password">
        <NewPasswordField error={errorOf("password")} registration={form.register("password")} />
        {askSecondFactor ? <SecondFactorField error={errorOf("secondFactor")} registration={form.register("secondFactor")} /> : null}
        {passkeys.length > 0 ? (
          <div className="space-y-2">
            <div className="flex items-start gap-3">
              <input
                id="remove-passkeys"
                type="checkbox"
                aria-describedby="remove-passkeys-list"
                className="mt-1 h-4 w-4 shrink-0 accent-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                {...form.register("removePasskeys")}
              />
              <label htmlFor="remove-passkeys" className="text-sm font-medium text-slate-900">
                Also remove every passkey of this account
              </label>
            </div>
            <ul id="remove-passkeys-list" className="ml-7 list-disc space-y-1 pl-4 text-sm text-slate-600">
              {passkeys.map((passkey) => (
                <li key={passkey.id} className="break-words">
                  {passkey.name}, added <LocalTime value={passkey.createdAt} />
                </li>
              ))}
            </ul>
            <p className="ml-7 text-sm text-slate-600">Keep this checked unless you added every one of them yourself: a passkey signs in without the password.</p>
          </div>
        ) : null}
      </FormShell>
    </Card>
  );
}
