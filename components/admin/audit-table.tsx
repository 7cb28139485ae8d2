import Link from "next/link";
import { Time } from "@/components/settings/time";
import { activityLabel, eventDetails } from "@/components/audit/event-labels";

type Account = { id: string; email: string | null } | null;
export type AuditRow = {
  id: string;
  action: string;
  createdAt: Date;
  ip: string | null;
  metadata: unknown;
  actor: Account;
  user?: Account;
};

function AccountLink({ account, fallback }: { account: Account; fallback: string }) {
  if (!account) return <span className="text-slate-600">{fallback}</span>;
  return (
    <Link href={`/admin/users/${account.id}`} className="text-brand-700 underline">
      {account.email ?? account.id}
    </Link>
  );
}


/** Audit events as a table; the target column is left out on a user's own page. */
export function AuditTable({ events, caption, showTarget }: { events: AuditRow[]; caption: string; showTarget: boolean }) {
  if (events.length === 0) return <p className="text-slate-700">No events.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">When</th>
            <th scope="col" className="px-3 py-2 font-semibold">Action</th>
            {showTarget ? <th scope="col" className="px-3 py-2 font-semibold">Account</th> : null}
            <th scope="col" className="px-3 py-2 font-semibold">By</th>
            <th scope="col" className="px-3 py-2 font-semibold">IP</th>
            <th scope="col" className="px-3 py-2 font-semibold">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} className="border-t border-slate-100 align-top">
              <td className="whitespace-nowrap px-3 py-2">
                <Time value={event.createdAt} />
              </td>
              <td className="px-3 py-2">
                {activityLabel(event.action)}
                {/* The code stays, small, for searching and the action filter. */}
                <span className="block font-mono text-xs text-slate-600">{event.action}</span>
              </td>
              {showTarget ? (
                <td className="px-3 py-2">
                  <AccountLink account={event.user ?? null} fallback="no account" />
                </td>
              ) : null}
              <td className="px-3 py-2">
                <AccountLink account={event.actor} fallback="–" />
              </td>
              <td className="px-3 py-2">{event.ip ?? "–"}</td>
              <td className="max-w-xs break-words px-3 py-2">{eventDetails(event.metadata)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
