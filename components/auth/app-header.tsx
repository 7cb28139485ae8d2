import Link from "next/link";
import { cookies } from "next/headers";
import { THEME_COOKIE, themeFrom } from "@/lib/theme";
import { brand } from "@/lib/env";
import { AccountMenu, type AccountSummary } from "./account-menu";

type HeaderLink = { href: string; label: string };

/**
 * The signed-in header of the app and the admin area: the home link, optional section links and
 * the account menu (who is signed in, every settings page, the theme, sign-out). `wide` matches
 * the admin area's wider pages.
 */
export async function AppHeader({
  account,
  home = { href: "/home", label: brand().name },
  nav,
  wide = false,
}: {
  account: AccountSummary;
  home?: HeaderLink;
  nav?: { label: string; links: HeaderLink[] };
  wide?: boolean;
}) {
  const theme = themeFrom((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className={`mx-auto flex ${wide ? "max-w-6xl" : "max-w-4xl"} flex-wrap items-center justify-between gap-3 px-4 py-3`}>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href={home.href} className="inline-flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-brand-700 hover:underline">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px SVG needs no image optimisation */}
            <img src={brand().logoUrl} alt="" width={24} height={24} />
            {home.label}
          </Link>
          {nav ? (
            <nav aria-label={nav.label}>
              <ul className="flex flex-wrap gap-1">
                {nav.links.map((link) => (
                  <li key={link.href}>
                    <Link href={link.href} className="inline-flex min-h-11 items-center rounded-md px-3 text-sm font-medium text-slate-800 hover:bg-slate-100">
                      {link.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </div>
        <AccountMenu account={account} theme={theme} />
      </div>
    </header>
  );
}
