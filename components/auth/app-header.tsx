import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

export function AppHeader({ who }: { who: string }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/home" className="text-sm font-semibold uppercase tracking-wide text-brand-700 hover:underline">
          Latchkey
        </Link>
        <div className="flex items-center gap-3">
          <span className="hidden text-sm text-slate-600 sm:inline">{who}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
