"use client";

import "./globals.css";
import ErrorPage from "./error";

/** The same friendly error when the root layout itself failed (it replaces the whole document). */
export default function GlobalError(props: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <title>Latchkey is briefly unavailable</title>
        <ErrorPage {...props} />
      </body>
    </html>
  );
}
