import type { ReactNode } from "react";

const NUMBER = new Intl.NumberFormat("en-US");
export const formatCount = (value: number) => NUMBER.format(value);
export const formatPercent = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)} %`);

/** One figure of the dashboard with what it means underneath. */
export function MetricCard({ label, value, detail, tone = "plain" }: { label: string; value: string; detail?: ReactNode; tone?: "plain" | "warn" }) {
  return (
    <div className={`rounded-lg border bg-white p-4 shadow-sm ${tone === "warn" ? "border-amber-400" : "border-slate-200"}`}>
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900">{value}</dd>
      {detail ? <dd className="mt-1 text-sm text-slate-600">{detail}</dd> : null}
    </div>
  );
}

export function MetricGroup({ title, children }: { title: string; children: ReactNode }) {
  const headingId = `group-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">{children}</dl>
    </section>
  );
}
