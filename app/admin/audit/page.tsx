import type { Metadata } from "next";
import { activityLabel } from "@/components/audit/event-labels";
import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { buttonClass } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { auditLogQuerySchema, listAuditEvents, type AuditLogQuery } from "@/lib/admin/audit-log";
import { AUDIT_ACTIONS } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Audit log" };

function olderHref(query: AuditLogQuery, cursor: string): string {
  const params = new URLSearchParams();
  for (const key of ["actor", "target", "action", "from", "to"] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  params.set("before", cursor);
  return `/admin/audit?${params.toString()}`;
}

const FIELDS = [
  { name: "actor", label: "By (email or id)", type: "search" },
  { name: "target", label: "Account (email or id)", type: "search" },
  { name: "from", label: "From (UTC day)", type: "date" },
  { name: "to", label: "To (UTC day)", type: "date" },
] as const;

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const query = auditLogQuerySchema.parse(await searchParams);
  const { events, nextCursor } = await listAuditEvents(query);

  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Audit log</h1>
      <form method="get" action="/admin/audit" aria-label="Filter the audit log" className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
        {FIELDS.map((field) => (
          <Field key={field.name} id={field.name} label={field.label}>
            {() => <Input id={field.name} name={field.name} type={field.type} defaultValue={query[field.name] ?? ""} autoComplete="off" />}
          </Field>
        ))}
        <Field id="action" label="Action">
          {() => (
            <Select id="action" name="action" defaultValue={query.action ?? ""}>
              <option value="">Any action</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {activityLabel(action)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="flex items-end gap-2">
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
          <Link href="/admin/audit" className={buttonClass("ghost")}>
            Clear
          </Link>
        </div>
      </form>
      <section aria-label="Events" className="rounded-lg border border-slate-200 bg-white p-2">
        <AuditTable events={events} caption="Audit events, newest first" showTarget />
      </section>
      <nav aria-label="Pages" className="flex justify-between gap-3">
        {query.before ? (
          <Link href="/admin/audit" className={buttonClass("secondary")}>
            Newest events
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link href={olderHref(query, nextCursor)} className={buttonClass("secondary")} rel="next">
            Older events
          </Link>
        ) : null}
      </nav>
    </>
  );
}
