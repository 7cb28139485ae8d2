import type { Metadata } from "next";
import { LinkButton } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

// Next's built-in 404 styles itself with an inline <style> element that carries no nonce, which
// the strict CSP refuses (ADR 0025); this one is plain Tailwind, with a way back.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex max-w-xl flex-col items-start gap-4 px-6 py-24">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">404</p>
      <h1 className="text-3xl font-bold tracking-tight">This page does not exist</h1>
      <p className="text-slate-700">The link may be old or mistyped. Your account is where you left it.</p>
      <div className="flex flex-wrap gap-3">
        <LinkButton href="/home">Go to your account</LinkButton>
        <LinkButton href="/" variant="secondary">
          Latchkey home
        </LinkButton>
      </div>
    </main>
  );
}
