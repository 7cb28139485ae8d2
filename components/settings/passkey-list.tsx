"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import { createPasskey } from "@/components/auth/passkey-ceremony";
import type { AccountPasskey } from "@/lib/settings/passkeys";
import { renamePasskeySchema } from "@/lib/passkeys/schemas";
import { addPasskeyAction, removePasskeyAction, renamePasskeyAction, startPasskeyRegistrationAction } from "@/app/(app)/settings/passkeys/actions";
import { Time } from "./time";

function RenameForm({ passkey, onDone }: { passkey: AccountPasskey; onDone: () => void }) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(renamePasskeySchema, renamePasskeyAction, {
    defaultValues: { passkeyId: passkey.id, name: passkey.name },
    onSuccess: () => {
      onDone();
      router.refresh();
    },
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save name" label={`Rename ${passkey.name}`}>
      <input type="hidden" {...form.register("passkeyId")} />
      <TextField id={`name-${passkey.id}`} label="Passkey name" autoComplete="off" error={errorOf("name")} registration={form.register("name")} />
    </FormShell>
  );
}

function PasskeyRow({ passkey }: { passkey: AccountPasskey }) {
  const [renaming, setRenaming] = useState(false);
  const { confirming, setConfirming, pending, outcome, confirm } = useConfirmedAction(() => removePasskeyAction({ passkeyId: passkey.id }));

  return (
    <li className="space-y-3 py-4" aria-label={passkey.name}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="break-words font-semibold text-slate-900">{passkey.name}</p>
          <p className="text-sm text-slate-600">
            {passkey.authenticator}
            {passkey.synced ? " · synced to your other devices" : " · on one device"}
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm text-slate-700">
            <dt>Added</dt>
            <dd>
              <Time value={passkey.createdAt} />
            </dd>
            <dt>Last used</dt>
            <dd>{passkey.lastUsedAt ? <Time value={passkey.lastUsedAt} /> : "Never"}</dd>
          </dl>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="secondary" onClick={() => setRenaming((open) => !open)} aria-expanded={renaming}>
            Rename<span className="sr-only"> {passkey.name}</span>
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)} disabled={confirming}>
            Remove<span className="sr-only"> {passkey.name}</span>
          </Button>
        </div>
      </div>
      {confirming ? (
        <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3" role="group" aria-label={`Remove ${passkey.name}?`}>
          <p className="text-sm text-red-900">Remove {passkey.name}? It will no longer sign in to your account. Also delete it from the device or password manager that keeps it.</p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="danger" pending={pending} onClick={confirm}>
              Yes, remove it
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.text}</Alert> : null}
      {renaming ? <RenameForm passkey={passkey} onDone={() => setRenaming(false)} /> : null}
    </li>
  );
}

export function PasskeyList({ passkeys }: { passkeys: AccountPasskey[] }) {
  if (passkeys.length === 0) return <p className="text-sm text-slate-700">No passkeys yet.</p>;
  return (
    <ul className="divide-y divide-slate-200" aria-label="Your passkeys">
      {passkeys.map((passkey) => (
        <PasskeyRow key={passkey.id} passkey={passkey} />
      ))}
    </ul>
  );
}

/** Creates a passkey with this browser's authenticator (or a phone, or a password manager). */
export function AddPasskey() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const add = async () => {
    setPending(true);
    setMessage(null);
    const result = await createPasskey(() => startPasskeyRegistrationAction({}), addPasskeyAction);
    setPending(false);
    if (!result) return;
    setMessage({ ok: result.ok, text: result.message ?? "" });
    if (result.ok) router.refresh();
  };
  return (
    <Card title="Add a passkey" description="Your device asks for your fingerprint, face, PIN or screen lock, then keeps the passkey. Nothing is sent to us but a public key.">
      <div className="space-y-3">
        {message ? <Alert tone={message.ok ? "success" : "error"}>{message.text}</Alert> : null}
        <Button type="button" className="w-full" pending={pending} onClick={add}>
          Add a passkey
        </Button>
      </div>
    </Card>
  );
}
