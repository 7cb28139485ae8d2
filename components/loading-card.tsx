/**
 * A stand-in for a Card (components/ui/card.tsx) while its page loads: the same frame, a bar where
 * the title goes and `rows` bars of `rowHeight` where the content goes, so nothing jumps when the
 * page arrives. Announced once as busy; the bars themselves are decoration.
 */
export function LoadingCard({ label, rows = 3, rowHeight = "h-10" }: { label: string; rows?: number; rowHeight?: string }) {
  return (
    <section aria-busy="true" aria-label={label} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <div aria-hidden="true" className="motion-safe:animate-pulse">
        <div className="h-7 w-48 max-w-full rounded bg-slate-200" />
        <div className="mt-4 space-y-3">
          {Array.from({ length: rows }, (_, row) => (
            <div key={row} className={`${rowHeight} rounded bg-slate-100`} />
          ))}
        </div>
      </div>
      <p role="status" className="sr-only">
        Loading…
      </p>
    </section>
  );
}
