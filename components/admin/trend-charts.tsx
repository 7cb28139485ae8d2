"use client";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TrendDay } from "@/lib/admin/metrics";

// The dashboard's 30-day charts. Each is a <figure> with a caption, and its numbers are also in a
// table under "Show the numbers", for screen readers and anyone who wants exact values. No
// animation: figures appear at once (and screenshots show whole charts).

// Theme colours (app/globals.css), so the charts follow light and dark mode.
const BRAND = "var(--color-brand-700)";
const GREEN = "var(--color-green-700)";
const AXIS = { fontSize: 12, fill: "var(--color-slate-700)" };

const shortDay = (day: string) => day.slice(5); // MM-DD
const percent = (value: number) => `${Math.round(value * 100)} %`;

function ChartFigure({ id, title, summary, children, table }: { id: string; title: string; summary: string; children: ReactNode; table: ReactNode }) {
  return (
    <figure aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </figcaption>
      <p className="text-sm text-slate-600">{summary}</p>
      <div className="mt-3 h-56 w-full" role="img" aria-label={`${title}: ${summary}`}>
        {children}
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-brand-700">Show the numbers</summary>
        <div className="mt-2 max-h-64 overflow-auto">{table}</div>
      </details>
    </figure>
  );
}

function DataTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col" className="py-1 pr-3 font-semibold">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={String(row[0])} className="border-t border-slate-100">
            {row.map((cell, index) => (
              <td key={index} className="py-1 pr-3 tabular-nums">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TrendCharts({ trends }: { trends: TrendDay[] }) {
  const totalSignUps = trends.reduce((sum, day) => sum + day.signUps, 0);
  const sent = trends.reduce((sum, day) => sum + day.codesSent, 0);
  const verified = trends.reduce((sum, day) => sum + day.codesVerified, 0);
  const devicesNow = trends.at(-1)?.activeDevices ?? 0;
  const devicesThen = trends[0]?.activeDevices ?? 0;

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <ChartFigure
        id="chart-sign-ups"
        title="Sign-ups per day"
        summary={`${totalSignUps} new accounts in the last 30 days.`}
        table={<DataTable caption="Sign-ups per day" columns={["Day", "Sign-ups"]} rows={trends.map((day) => [day.day, day.signUps])} />}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={trends} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={16} />
            <YAxis allowDecimals={false} tick={AXIS} width={40} />
            <Tooltip />
            <Bar dataKey="signUps" name="Sign-ups" fill={BRAND} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        id="chart-code-success"
        title="Code success rate"
        summary={`${verified} of ${sent} codes sent in the last 30 days were verified${sent ? ` (${percent(verified / sent)})` : ""}.`}
        table={
          <DataTable
            caption="Codes per day"
            columns={["Day", "Sent", "Verified", "Locked out", "Success"]}
            rows={trends.map((day) => [day.day, day.codesSent, day.codesVerified, day.codesLocked, day.codeSuccessRate === null ? "–" : percent(day.codeSuccessRate)])}
          />
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={trends} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={16} />
            <YAxis domain={[0, 1]} tickFormatter={percent} tick={AXIS} width={56} />
            <Tooltip formatter={(value) => (typeof value === "number" ? percent(value) : "no codes")} />
            <Line type="monotone" dataKey="codeSuccessRate" name="Verified / sent" stroke={GREEN} strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        id="chart-devices"
        title="Active devices"
        summary={`${devicesNow} devices in service today, ${devicesThen} thirty days ago.`}
        table={<DataTable caption="Active devices per day" columns={["Day", "Devices"]} rows={trends.map((day) => [day.day, day.activeDevices])} />}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={trends} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} minTickGap={16} />
            <YAxis allowDecimals={false} tick={AXIS} width={48} />
            <Tooltip />
            <Line type="monotone" dataKey="activeDevices" name="Devices" stroke={BRAND} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartFigure>
    </div>
  );
}
