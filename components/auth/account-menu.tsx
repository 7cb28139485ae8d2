"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { SETTINGS_SECTIONS } from "@/components/settings/sections";
import { ThemeSwitch } from "@/components/theme-switch";
import type { Theme } from "@/lib/theme";
import { SignOutButton } from "./sign-out-button";

export type AccountSummary = {
  /** Display name, else @username, else the address. */
  name: string;
  /** The email address or the phone number (human format), when it differs from `name`. */
  address: string | null;
  initials: string;
  isAdmin: boolean;
};

const itemClass =
  "flex min-h-11 items-center rounded-md px-3 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600";

/**
 * The header's account menu: who is signed in, every part of the account, "Admin" for admins,
 * the theme and sign-out. A disclosure (a button that shows a panel of links), not an ARIA menu:
 * its links and controls are reached with Tab like any others. Escape, a click outside it and
 * following one of its links close it.
 */
export function AccountMenu({ account, theme }: { account: AccountSummary; theme: Theme }) {
  const pathname = usePathname();
  // Open on the page it was opened on: following one of its links closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (value: boolean) => setOpenOn(value ? pathname : null);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpenOn(null);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        className="flex min-h-11 items-center gap-2 rounded-full py-1 pl-1 pr-3 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <span aria-hidden="true" className="grid size-9 place-items-center rounded-full bg-brand-100 text-sm font-semibold text-brand-800">
          {account.initials}
        </span>
        <span className="sr-only">Account menu: </span>
        <span className="hidden max-w-48 truncate sm:inline">{account.name}</span>
        <span className="sr-only sm:hidden">{account.name}</span>
      </button>
      {open ? (
        <div
          id={panelId}
          className="absolute right-0 z-20 mt-2 w-72 max-w-[calc(100vw-2rem)] space-y-2 rounded-lg border border-slate-200 bg-white p-2 shadow-lg"
        >
          <div className="px-3 py-2">
            <p className="wrap-anywhere font-semibold text-slate-900">{account.name}</p>
            {account.address ? <p className="wrap-anywhere text-sm text-slate-600">{account.address}</p> : null}
          </div>
          <nav aria-label="Account">
            <ul className="border-y border-slate-200 py-1">
              <li>
                <Link href="/home" className={itemClass}>
                  Home
                </Link>
              </li>
              {SETTINGS_SECTIONS.map((section) => (
                <li key={section.href}>
                  <Link href={section.href} className={itemClass} aria-current={pathname === section.href ? "page" : undefined}>
                    {section.label}
                  </Link>
                </li>
              ))}
              {account.isAdmin ? (
                <li>
                  <Link href="/admin" className={itemClass}>
                    Admin
                  </Link>
                </li>
              ) : null}
            </ul>
          </nav>
          <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-1">
            <ThemeSwitch initial={theme} />
          </div>
          <div className="px-1 pb-1">
            <SignOutButton />
          </div>
        </div>
      ) : null}
    </div>
  );
}
