import type { Metadata } from "next";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

// Next's built-in 404 styles itself with an inline <style> element that carries no nonce, which
// the strict CSP refuses (ADR 0025); this one is plain Tailwind.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-6 px-6 py-16">
      <div className="space-y-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">404</p>
        <h1 className="text-3xl font-bold tracking-tight">This page could not be found.</h1>
        <p className="text-slate-700">Check the address, or start again from the home page.</p>
      </div>
      <div>
        <LinkButton href="/">Go to the home page</LinkButton>
      </div>
    </main>
  );
}
