"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/email", label: "Email address" },
  { href: "/settings/phone", label: "Phone number" },
  { href: "/settings/password", label: "Password" },
  { href: "/settings/passkeys", label: "Passkeys" },
  { href: "/settings/privacy", label: "Privacy" },
  { href: "/settings/devices", label: "Devices" },
  { href: "/settings/security", label: "Security activity" },
];

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="min-w-0">
      <ul className="flex gap-2 overflow-x-auto pb-1 md:flex-col md:gap-1 md:overflow-visible">
        {SECTIONS.map((section) => {
          const current = pathname === section.href;
          return (
            <li key={section.href} className="shrink-0">
              <Link
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={`block min-h-11 rounded-md px-3 py-2.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600 ${
                  current ? "bg-brand-700 text-white" : "text-slate-800 hover:bg-brand-50"
                }`}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
