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
import type { AccountDevice } from "@/lib/settings/devices";
import { renameDeviceSchema } from "@/lib/settings/schemas";
import { renameDeviceAction, signOutDeviceAction, signOutEverywhereElseAction } from "@/app/(app)/settings/devices/actions";
import { Time } from "./time";

function RenameForm({ device, onDone }: { device: AccountDevice; onDone: () => void }) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(renameDeviceSchema, renameDeviceAction, {
    defaultValues: { deviceId: device.id, name: device.name },
    onSuccess: () => {
      onDone();
      router.refresh();
    },
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save name" label={`Rename ${device.name}`}>
      <input type="hidden" {...form.register("deviceId")} />
      <TextField id={`name-${device.id}`} label="Device name" autoComplete="off" error={errorOf("name")} registration={form.register("name")} />
    </FormShell>
  );
}

function DeviceRow({ device }: { device: AccountDevice }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signOut = async () => {
    setPending(true);
    const result = await signOutDeviceAction({ deviceId: device.id });
    setPending(false);
    if (result.ok) router.refresh();
    else setError(result.message);
  };

  return (
    <li className="space-y-3 py-4" aria-label={device.name}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="break-words font-semibold text-slate-900">
            {device.name}
            {device.isCurrent ? <span className="ml-2 rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-800">This device</span> : null}
          </p>
          <p className="text-sm text-slate-600">
            {device.kind === "BROWSER" ? "Web browser" : "Messaging app"}
            {device.kind === "BROWSER" && !device.signedIn ? " · signed out" : ""}
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm text-slate-700">
            <dt>First seen</dt>
            <dd>
              <Time value={device.firstSeenAt} />
            </dd>
            <dt>Last seen</dt>
            <dd>{device.lastSeenAt ? <Time value={device.lastSeenAt} /> : "Never"}</dd>
          </dl>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="secondary" onClick={() => setRenaming((open) => !open)} aria-expanded={renaming}>
            Rename<span className="sr-only"> {device.name}</span>
          </Button>
          {device.isCurrent ? null : (
            <Button type="button" variant="secondary" onClick={() => setConfirming(true)} disabled={confirming}>
              Sign out<span className="sr-only"> {device.name}</span>
            </Button>
          )}
        </div>
      </div>
      {confirming ? (
        <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3" role="group" aria-label={`Sign out ${device.name}?`}>
          <p className="text-sm text-red-900">Sign out {device.name}? It will need to sign in again{device.hasKeys ? ", and its encryption keys are deleted" : ""}.</p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="danger" pending={pending} onClick={signOut}>
              Yes, sign it out
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {renaming ? <RenameForm device={device} onDone={() => setRenaming(false)} /> : null}
    </li>
  );
}

export function DeviceList({ devices }: { devices: AccountDevice[] }) {
  return (
    <ul className="divide-y divide-slate-200" aria-label="Your devices">
      {devices.map((device) => (
        <DeviceRow key={device.id} device={device} />
      ))}
    </ul>
  );
}

export function SignOutEverywhereElse() {
  const { confirming, setConfirming, pending, outcome: result, confirm: run } = useConfirmedAction(() => signOutEverywhereElseAction({}));

  return (
    <Card title="Sign out everywhere else" description="Signs out every other browser and messaging app, and deletes their keys. This device stays signed in.">
      <div className="space-y-3">
        {result ? <Alert tone={result.ok ? "success" : "error"}>{result.text}</Alert> : null}
        {confirming ? (
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="danger" pending={pending} onClick={run}>
              Yes, sign out every other device
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        ) : (
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
            Sign out everywhere else
          </Button>
        )}
      </div>
    </Card>
  );
}
