const FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A moment shown the same way on the server and in every browser (UTC, so no hydration drift): the admin pages, whose days are UTC days. Pages for the account holder use components/ui/local-time.tsx. */
export function Time({ value }: { value: Date }) {
  return <time dateTime={value.toISOString()}>{FORMAT.format(value)} UTC</time>;
}
