import type { Metadata } from "next";
import { humanPhoneNumber } from "@/lib/format/phone";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AuditTable } from "@/components/admin/audit-table";
import { StatusBadges } from "@/components/admin/status-badges";
import { AccountControls, DeleteUserForm, ResendVerification, RevokeDevice } from "./_components/user-actions";
import { Time } from "@/components/settings/time";
import { Card } from "@/components/ui/card";
import { USER_AUDIT_EVENTS, viewUserDetail } from "@/lib/admin/users";
import { currentRequestContext, requireAdmin } from "@/lib/auth/current";
import { hasRecentSignIn } from "@/lib/auth/recent-sign-in";
import { reauthenticationMethods } from "@/lib/settings/reauthenticate";
import { ReauthenticatePanel } from "@/app/_reauthentication/reauthenticate-panel";

export const metadata: Metadata = { title: "Account" };

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600">{term}</dt>
      <dd className="wrap-anywhere text-slate-900">{children ?? "–"}</dd>
    </>
  );
}

const yesNo = (value: boolean) => (value ? "yes" : "no");

export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const admin = await requireAdmin();
  const { userId } = await params;
  const user = await viewUserDetail(admin.user.id, userId, await currentRequestContext());
  if (!user) notFound();
  // The actions below end access, change roles or delete: they need a confirmed session (ADR 0073).
  const confirmed = hasRecentSignIn(admin);
  const label = user.email ?? (user.phoneNumber && humanPhoneNumber(user.phoneNumber)) ?? user.id;
  const unverified = (!!user.email && !user.emailVerified) || (!!user.phoneNumber && !user.phoneVerified);
  const target = { id: user.id, label, isActive: user.isActive, role: user.role, twoStepOn: user.twoStepOn, unverified };
  const devicesById = new Map(user.devices.map((device) => [device.id, device.name]));

  return (
    <>
      <div className="space-y-2">
        <h1 className="wrap-anywhere text-2xl font-bold text-slate-900">{label}</h1>
        <StatusBadges user={user} />
      </div>

      <Card title="Profile">
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          <Row term="Id">
            <code>{user.id}</code>
          </Row>
          <Row term="Email">{user.email ? `${user.email} (verified: ${yesNo(user.emailVerified)})` : null}</Row>
          <Row term="Phone">{user.phoneNumber ? `${humanPhoneNumber(user.phoneNumber)} (verified: ${yesNo(user.phoneVerified)})` : null}</Row>
          <Row term="Username">{user.username ? `@${user.username}` : null}</Row>
          <Row term="Name">{user.name}</Row>
          <Row term="Full name">{user.fullName}</Row>
          <Row term="Country, state, zip">{[user.country, user.state, user.zip].filter(Boolean).join(", ") || null}</Row>
          <Row term="Role">{user.role === "ADMIN" ? "Admin" : "User"}</Row>
          <Row term="Password">{user.hasPassword ? "set" : "none (signs in with codes)"}</Row>
          <Row term="Two-step verification">{user.twoStepOn ? "on" : "off"}</Row>
          <Row term="Linked providers">
            {user.identities.map((identity) => `${identity.provider}${identity.email ? ` (${identity.email})` : ""}`).join(", ") || null}
          </Row>
          <Row term="Profile complete">{yesNo(user.isProfileComplete)}</Row>
          <Row term="Active">{yesNo(user.isActive)}</Row>
          <Row term="Created">
            <Time value={user.createdAt} />
          </Row>
          <Row term="Last sign-in">{user.lastLoginAt ? <Time value={user.lastLoginAt} /> : "never"}</Row>
        </dl>
      </Card>

      {confirmed ? null : <ReauthenticatePanel methods={await reauthenticationMethods(admin.user)} />}

      {confirmed ? null : (
        <Card title="Actions">
          <p className="text-slate-700">Confirm it&apos;s you above to deactivate, change the role, revoke devices or delete this account.</p>
        </Card>
      )}
      {confirmed && unverified ? (
        <Card title="Verification" description="The address or number of this account is not confirmed yet.">
          <ResendVerification user={target} />
        </Card>
      ) : null}

      <Card title={`Devices (${user.devices.length})`}>
        {user.devices.length === 0 ? (
          <p className="text-slate-700">No devices.</p>
        ) : (
          <ul className="divide-y divide-slate-200" aria-label="Devices">
            {user.devices.map((device) => (
              <li key={device.id} className="flex flex-wrap items-start justify-between gap-3 py-3" aria-label={device.name}>
                <div className="min-w-0 text-sm wrap-anywhere">
                  <p className="font-semibold text-slate-900">
                    {device.name} {device.revoked ? <span className="font-normal text-red-800">(revoked)</span> : null}
                  </p>
                  <p className="text-slate-600">
                    {device.kind === "BROWSER" ? "Web browser" : "Messaging app"}
                    {device.identityKey ? ` · registration ${device.identityKey.registrationId}` : ""}
                    {device.identityKey ? ` · ${device._count.oneTimePreKeys} prekeys, ${device._count.kyberPreKeys} Kyber prekeys left` : ""}
                  </p>
                  <p className="text-slate-600">
                    Registered <Time value={device.createdAt} /> · last seen {device.lastSeenAt ? <Time value={device.lastSeenAt} /> : "never"}
                  </p>
                </div>
                {device.revoked || !confirmed ? null : <RevokeDevice userId={user.id} device={{ id: device.id, name: device.name }} />}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={`Active sessions (${user.sessions.length})`}>
        {user.sessions.length === 0 ? (
          <p className="text-slate-700">No active sessions.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm" aria-label="Active sessions">
            {user.sessions.map((session) => (
              <li key={session.id} className="py-2">
                <p className="font-medium wrap-anywhere text-slate-900">{devicesById.get(session.deviceId) ?? "Unknown device"}</p>
                <p className="wrap-anywhere text-slate-600">
                  {session.ip ?? "unknown IP"} · {session.userAgent || "unknown client"}
                </p>
                <p className="text-slate-600">
                  Started <Time value={session.createdAt} /> · last seen <Time value={session.lastSeenAt} /> · expires <Time value={session.expiresAt} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Audit events" description={`The newest ${USER_AUDIT_EVENTS} events about this account.`}>
        <AuditTable events={user.auditEvents} caption={`Audit events about ${label}`} showTarget={false} />
      </Card>

      {/* Whatever locks the person out or destroys something sits here, last and in red (issue 25). */}
      {confirmed ? (
        <Card title="Danger zone" tone="danger" description="Each action is confirmed first and written to the audit log under your name.">
          <div className="space-y-6">
            <AccountControls user={target} />
            <div className="border-t border-red-200 pt-4">
              <h3 className="mb-2 font-semibold text-slate-900">Delete account</h3>
              <DeleteUserForm userId={user.id} label={label} />
            </div>
          </div>
        </Card>
      ) : null}
    </>
  );
}
