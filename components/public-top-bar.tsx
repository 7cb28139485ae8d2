import Link from "next/link";
import { cookies } from "next/headers";
import { ThemeSwitch } from "@/components/theme-switch";
import { THEME_COOKIE, themeFrom } from "@/lib/theme";
import { brand } from "@/lib/env";

/** The top of the signed-out pages: the logo mark (home) and the theme switch. */
export async function PublicTopBar() {
  const theme = themeFrom((await cookies()).get(THEME_COOKIE)?.value);
  const { name, logoUrl } = brand();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <Link href="/" className="inline-flex min-h-11 items-center rounded-md focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
        {/* eslint-disable-next-line @next/next/no-img-element -- a small SVG needs no image optimisation */}
        <img src={logoUrl} alt={`${name} home`} width={40} height={40} />
      </Link>
      <ThemeSwitch initial={theme} />
    </div>
  );
}
