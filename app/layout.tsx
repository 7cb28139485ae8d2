import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { THEME_COOKIE, themeFrom } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Latchkey", template: "%s · Latchkey" },
  description: "Accounts, devices and end-to-end-encryption key distribution for messaging apps.",
  applicationName: "Latchkey",
};

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
    <html lang="en" data-theme={theme}>
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
