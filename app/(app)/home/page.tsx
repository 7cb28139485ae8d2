import type { Metadata } from "next";
import Link from "next/link";
import { SETTINGS_SECTIONS } from "@/components/settings/sections";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { SignInNoticeAlert } from "@/components/auth/sign-in-notice";
import { activityLabel } from "@/components/audit/event-labels";
import { LocalTime } from "@/components/ui/local-time";
import { accountOverview } from "@/lib/settings/overview";
import { requireCompleteProfile } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Home" };

export const dynamic = "force-dynamic";

const linkClass = "text-sm font-semibold text-brand-700 underline-offset-2 hover:underline";

/**
 * One line of "How you sign in": what it is, how it stands, and where to change it. On a phone
 * the value gets a line of its own under the label and link, so an address keeps its width
 * (squeezed beside them it broke into 60 px slivers) and wraps only where it must.
 */
function MethodRow({ name, children, href, action }: { name: string; children: ReactNode; href: string; action: string }) {
  return (
    <div className="grid grid-cols-[minmax(0,1fr)_auto] items-baseline gap-x-4 gap-y-1 py-3 sm:grid-cols-[7rem_minmax(0,1fr)_auto]">
      <dt className="font-medium text-slate-900">{name}</dt>
      <dd className="col-span-2 row-start-2 min-w-0 wrap-anywhere text-slate-700 sm:col-span-1 sm:col-start-2 sm:row-start-1">{children}</dd>
      <dd className="col-start-2 row-start-1 sm:col-start-3">
        <Link className={linkClass} href={href}>
          {action}
        </Link>
      </dd>
    </div>
  );
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ notice?: string | string[] }> }) {
  const session = await requireCompleteProfile();
  const { notice } = await searchParams;
  const { signInMethods: methods, devices, recentEvents } = await accountOverview(session);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold wrap-anywhere">Hello, {session.user.name}</h1>
        <p className="wrap-anywhere text-slate-700">
          You are signed in on <strong>{session.device.name}</strong>.
        </p>
      </div>
      <SignInNoticeAlert notice={notice} />
      <Card title="How you sign in">
        <dl className="divide-y divide-slate-200" aria-label="Sign-in methods">
          <MethodRow name="Email" href="/settings/email" action={methods.email ? "Change email" : "Add an email address"}>
            {methods.email ? `${methods.email.address} · ${methods.email.verified ? "confirmed" : "not confirmed yet"}` : "Not added"}
          </MethodRow>
          <MethodRow name="Phone" href="/settings/phone" action={methods.phone ? "Change number" : "Add a number"}>
            {methods.phone ?? "Not added"}
          </MethodRow>
          <MethodRow name="Password" href="/settings/password" action={methods.hasPassword ? "Change password" : "Set a password"}>
            {methods.hasPassword ? "Set" : "Not set: you sign in with codes"}
          </MethodRow>
          <MethodRow name="Passkeys" href="/settings/passkeys" action={methods.passkeys > 0 ? "Manage passkeys" : "Add a passkey"}>
            {methods.passkeys === 0 ? "None yet" : methods.passkeys === 1 ? "1 passkey" : `${methods.passkeys} passkeys`}
          </MethodRow>
        </dl>
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Devices">
          <p className="text-slate-700">{devices.signedIn === 1 ? "Signed in on 1 device: this one." : `Signed in on ${devices.signedIn} devices.`}</p>
          {devices.latestElsewhere ? (
            <p className="mt-2 text-sm wrap-anywhere text-slate-600">
              Last active elsewhere: <strong>{devices.latestElsewhere.name}</strong>
              {devices.latestElsewhere.lastSeenAt ? (
                <>
                  , <LocalTime value={devices.latestElsewhere.lastSeenAt} relative />
                </>
              ) : null}
            </p>
          ) : null}
          <p className="mt-4">
            <Link className={linkClass} href="/settings/devices">
              Manage devices
            </Link>
          </p>
        </Card>
        <Card title="Recent security activity">
          {recentEvents.length === 0 ? (
            <p className="text-slate-700">No activity yet.</p>
          ) : (
            <ol className="space-y-2" aria-label="Recent security events">
              {recentEvents.map((event) => (
                <li key={event.id}>
                  <p className="font-medium text-slate-900">{activityLabel(event.action)}</p>
                  <p className="text-sm text-slate-600">
                    <LocalTime value={event.createdAt} />
                  </p>
                </li>
              ))}
            </ol>
          )}
          <p className="mt-4">
            <Link className={linkClass} href="/settings/security">
              See all activity
            </Link>
          </p>
        </Card>
      </div>
      <Card title="Everything in your account">
        <ul className="grid gap-x-6 gap-y-1 sm:grid-cols-2" aria-label="Account settings">
          {SETTINGS_SECTIONS.map((section) => (
            <li key={section.href}>
              <Link className={`${linkClass} inline-flex min-h-11 items-center`} href={section.href}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
