"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/**
 * What a page shows when rendering it failed on the server, most often because the database was
 * briefly unreachable (a restart, a failover): a calm message and a way to try again, never a
 * stack trace. The digest matches the server's log line.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16">
      <Card title="Latchkey is briefly unavailable">
        <p role="alert" className="text-sm text-slate-700">
          We could not load this page. This usually passes within a few seconds; please try again.
        </p>
        {digest ? <p className="mt-2 text-xs text-slate-500">Reference {digest}</p> : null}
        <Button className="mt-4" onClick={() => retry()}>
          Try again
        </Button>
      </Card>
    </main>
  );
}
