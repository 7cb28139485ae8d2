"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { createPasskey } from "@/components/auth/passkey-ceremony";
import type { AccountPasskey } from "@/lib/settings/passkeys";
import { renamePasskeySchema } from "@/lib/passkeys/schemas";
import { addPasskeyAction, removePasskeyAction, renamePasskeyAction, startPasskeyRegistrationAction } from "../actions";
import { ManagedItem } from "@/components/settings/managed-item";
import { RenameForm } from "@/components/settings/rename-form";
import { LocalTime } from "@/components/ui/local-time";

function PasskeyRow({ passkey }: { passkey: AccountPasskey }) {
  return (
    <ManagedItem
      name={passkey.name}
      details={
        <>
          <p className="text-sm text-slate-600">
            {passkey.authenticator}
            {passkey.synced ? " · synced to your other devices" : " · on one device"}
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm text-slate-700">
            <dt>Added</dt>
            <dd>
              <LocalTime value={passkey.createdAt} />
            </dd>
            <dt>Last used</dt>
            <dd>{passkey.lastUsedAt ? <LocalTime value={passkey.lastUsedAt} relative /> : "Never"}</dd>
          </dl>
        </>
      }
      renameForm={(close) => (
        <RenameForm schema={renamePasskeySchema} action={renamePasskeyAction} idField="passkeyId" id={passkey.id} name={passkey.name} fieldLabel="Passkey name" onDone={close} />
      )}
      removal={{
        verb: "Remove",
        question: `Remove ${passkey.name}? It will no longer sign in to your account. Also delete it from the device or password manager that keeps it.`,
        confirmLabel: "Yes, remove it",
        run: () => removePasskeyAction({ passkeyId: passkey.id }),
      }}
    />
  );
}

export function PasskeyList({ passkeys }: { passkeys: AccountPasskey[] }) {
  if (passkeys.length === 0) return <p className="text-sm text-slate-700">No passkeys yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 focus:outline-none" aria-label="Your passkeys" tabIndex={-1}>
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
