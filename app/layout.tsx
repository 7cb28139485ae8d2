import type { Metadata, Viewport } from "next";
import type { CSSProperties } from "react";
import { brand } from "@/lib/env";
import { cookies } from "next/headers";
import { THEME_COOKIE, themeFrom } from "@/lib/theme";
import "./globals.css";

export function generateMetadata(): Metadata {
  const { name } = brand();
  return {
    title: { default: name, template: `%s · ${name}` },
    description: "Accounts, devices and end-to-end-encryption key distribution for messaging apps.",
    applicationName: name,
  };
}

/**
 * The operator's ACCENT_COLOR replaces the brand colours buttons and links use; in dark mode a
 * lighter mix of it keeps text in that colour readable on the dark cards.
 */
function accentStyle(accent: string | null): CSSProperties | undefined {
  if (!accent) return undefined;
  const light = (share: number) => `light-dark(${accent}, color-mix(in srgb, ${accent} ${share}%, white))`;
  return { ["--color-brand-600" as string]: light(55), ["--color-brand-700" as string]: light(45), ["--color-brand-800" as string]: light(35) };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

// Every page renders per request: reading the theme cookie makes it so, and its scripts must carry
// that request's CSP nonce (proxy.ts, ADR 0025), which a page prerendered at build time could not have.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const theme = themeFrom((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme} style={accentStyle(brand().accentColor)}>
      <body className="flex min-h-screen flex-col font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        {/* The theme switch sits in the account menu (signed in) and the top bar of the public pages. */}
        <div className="flex-1">{children}</div>
      </body>
    </html>
  );
}
