"use client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import type { AccountDevice } from "@/lib/settings/devices";
import { renameDeviceSchema } from "@/lib/settings/schemas";
import { renameDeviceAction, signOutDeviceAction, signOutEverywhereElseAction } from "../actions";
import { ManagedItem } from "@/components/settings/managed-item";
import { RenameForm } from "@/components/settings/rename-form";
import { LocalTime } from "@/components/ui/local-time";
import { DeviceIcon } from "@/components/settings/device-icon";

/** Why a device has no session now, as its row says it (ADR 68). */
const SIGNED_OUT_LABELS: Record<NonNullable<AccountDevice["signedOutBecause"]> | "unknown", string> = {
  idle: "signed out after a time without use",
  expired: "signed out: session expired",
  signed_out: "signed out",
  revoked: "signed out from the app",
  unknown: "signed out",
};

/** What tells a device apart from its siblings: its software, where it was last used from, and when. */
function DeviceFacts({ device }: { device: AccountDevice }) {
  return (
    <>
      <p className="text-sm text-slate-600">
        {device.kind === "BROWSER" ? (device.software ?? "Web browser") : "Messaging app"}
        {!device.signedIn && (device.kind === "BROWSER" || device.signedOutBecause) ? ` · ${SIGNED_OUT_LABELS[device.signedOutBecause ?? "unknown"]}` : ""}
      </p>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-sm text-slate-700">
        <dt>First seen</dt>
        <dd>
          <LocalTime value={device.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>{device.lastSeenAt ? <LocalTime value={device.lastSeenAt} relative /> : "Never"}</dd>
        {device.ipAddress ? (
          <>
            <dt>IP address</dt>
            <dd className="wrap-anywhere">{device.ipAddress}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

function DeviceRow({ device }: { device: AccountDevice }) {
  return (
    <ManagedItem
      name={device.name}
      badge={device.isCurrent ? <span className="ml-2 rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-800">This device</span> : null}
      icon={<DeviceIcon formFactor={device.formFactor} />}
      details={<DeviceFacts device={device} />}
      renameForm={(close) => (
        <RenameForm schema={renameDeviceSchema} action={renameDeviceAction} idField="deviceId" id={device.id} name={device.name} fieldLabel="Device name" onDone={close} />
      )}
      removal={
        device.isCurrent
          ? undefined
          : {
              verb: "Sign out",
              question: `Sign out ${device.name}? It will need to sign in again${device.hasKeys ? ", and its encryption keys are deleted" : ""}.`,
              confirmLabel: "Yes, sign it out",
              run: () => signOutDeviceAction({ deviceId: device.id }),
            }
      }
    />
  );
}

export function DeviceList({ devices }: { devices: AccountDevice[] }) {
  return (
    <ul className="divide-y divide-slate-200 focus:outline-none" aria-label="Your devices" tabIndex={-1}>
      {devices.map((device) => (
        <DeviceRow key={device.id} device={device} />
      ))}
    </ul>
  );
}

/**
 * Browsers that signed out keep their device (the next sign-in there reuses it), so they would pile
 * up as dead rows: they fold into a short history that offers nothing to do.
 */
export function SignedOutHistory({ devices }: { devices: AccountDevice[] }) {
  if (devices.length === 0) return null;
  return (
    <details className="mt-4 rounded-md border border-slate-200 p-3">
      <summary className="cursor-pointer text-sm font-semibold text-slate-800">
        Signed-out browsers ({devices.length})
      </summary>
      <ul className="mt-2 divide-y divide-slate-200" aria-label="Signed-out browsers">
        {devices.map((device) => (
          <li key={device.id} className="flex min-w-0 gap-3 py-3" aria-label={device.name}>
            <DeviceIcon formFactor={device.formFactor} />
            <div className="min-w-0">
              <p className="wrap-anywhere font-semibold text-slate-900">{device.name}</p>
              <DeviceFacts device={device} />
            </div>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function SignOutEverywhereElse({ othersSignedIn }: { othersSignedIn: boolean }) {
  const { confirming, setConfirming, pending, outcome: result, confirm: run } = useConfirmedAction(() => signOutEverywhereElseAction({}));

  // Once it has signed the others out, the card stays to say so; before, it shows only when there are others.
  if (!othersSignedIn && !result) return null;
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
