import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";

const LINKS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminHeader({ who }: { who: string }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href="/admin" className="text-sm font-semibold uppercase tracking-wide text-brand-700 hover:underline">
            Latchkey admin
          </Link>
          <nav aria-label="Admin">
            <ul className="flex flex-wrap gap-1">
              {LINKS.map((link) => (
                <li key={link.href}>
                  <Link href={link.href} className="inline-flex min-h-11 items-center rounded-md px-3 text-sm font-medium text-slate-800 hover:bg-slate-100">
                    {link.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        <div className="flex items-center gap-3">
          <span className="hidden text-sm text-slate-600 sm:inline">{who}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
