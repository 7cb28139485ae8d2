import { LoadingCard } from "@/components/loading-card";

// The layout of app/(app)/home/page.tsx while its overview is read.
export default function HomeLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Your account</h1>
        <div aria-hidden="true" className="h-6 w-64 max-w-full rounded bg-slate-100 motion-safe:animate-pulse" />
      </div>
      <LoadingCard label="Loading how you sign in" rows={4} />
      <div className="grid gap-6 md:grid-cols-2">
        <LoadingCard label="Loading your devices" rows={2} rowHeight="h-6" />
        <LoadingCard label="Loading recent security activity" rows={3} rowHeight="h-6" />
      </div>
    </div>
  );
}
