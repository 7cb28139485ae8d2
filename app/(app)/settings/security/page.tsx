import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { activityLabel } from "@/components/audit/event-labels";
import { LocalTime } from "@/components/ui/local-time";
import { requireCompleteProfile } from "@/lib/auth/current";
import { AppError } from "@/lib/errors";
import { listSecurityActivity, type ActivityPage } from "@/lib/settings/activity";
import { deviceNameFromUserAgent } from "@/lib/devices/name";

export const metadata: Metadata = { title: "Security activity" };

export default async function SecurityActivityPage({ searchParams }: { searchParams: Promise<{ after?: string | string[] }> }) {
  const session = await requireCompleteProfile();
  const { after } = await searchParams;
  let page: ActivityPage;
  try {
    page = await listSecurityActivity(session.userId, { cursor: typeof after === "string" ? after : null });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return <Alert tone="error">{error.message} <Link className="underline" href="/settings/security">Show the newest events</Link></Alert>;
  }
  return (
    <Card title="Security activity" description="Sign-ins, new devices and changes to your account, newest first. Times are in your time zone.">
      {page.events.length === 0 ? (
        <p className="text-slate-700">No activity yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200" aria-label="Security events">
          {page.events.map((event) => (
            <li key={event.id} className="py-3">
              <p className="font-medium text-slate-900">{activityLabel(event.action)}</p>
              <p className="text-sm text-slate-600">
                <LocalTime value={event.createdAt} />
                {event.userAgent ? ` · ${deviceNameFromUserAgent(event.userAgent)}` : ""}
                {event.ip ? ` · IP ${event.ip}` : ""}
              </p>
            </li>
          ))}
        </ol>
      )}
      <nav aria-label="Activity pages" className="mt-4 flex flex-wrap gap-4 text-sm font-semibold">
        {after ? (
          <Link className="text-brand-700 underline" href="/settings/security">
            Newest events
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link className="text-brand-700 underline" href={`/settings/security?after=${page.nextCursor}`}>
            Older events
          </Link>
        ) : null}
      </nav>
    </Card>
  );
}
