"use client";
import { useId, useSyncExternalStore } from "react";

const UTC = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** "2 minutes ago", "yesterday", "just now": the largest whole unit. */
export function relativeTime(value: Date, now: Date): string {
  const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return RELATIVE.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

const subscribeNever = () => () => {};

/**
 * A moment in the viewer's own time zone, the exact time (with its zone) on hover and on focus.
 * The server knows no viewer's zone, so it renders UTC and the browser swaps in local time right
 * after hydration (ADR 0054): useSyncExternalStore's server snapshot keeps the first client
 * render identical to the server's, so there is no hydration mismatch.
 */
export function LocalTime({ value, relative = false }: { value: Date; relative?: boolean }) {
  const inBrowser = useSyncExternalStore(subscribeNever, () => true, () => false);
  const exact = inBrowser
    ? new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "long" }).format(value)
    : `${UTC.format(value)} UTC`;
  const shown = !inBrowser
    ? `${UTC.format(value)} UTC`
    : relative
      ? relativeTime(value, new Date())
      : new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" }).format(value);
  const tooltipId = useId();
  return (
    <span className="group relative inline-block">
      <time
        dateTime={value.toISOString()}
        title={exact}
        aria-describedby={tooltipId}
        tabIndex={0}
        className="rounded-sm underline decoration-dotted underline-offset-2 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        {shown}
      </time>
      <span
        id={tooltipId}
        role="tooltip"
        className="pointer-events-none absolute left-0 top-full z-10 mt-1 hidden w-max max-w-48 rounded bg-slate-900 px-2 py-1 text-xs text-white group-focus-within:block group-hover:block"
      >
        {exact}
      </span>
    </span>
  );
}
