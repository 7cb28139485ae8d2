"use client";
import { useState } from "react";
import { THEME_COOKIE, THEMES, type Theme } from "@/lib/theme";

/**
 * System, light or dark. The choice is a cookie, so the server renders the page in it at once
 * (no flash of the other theme), and data-theme on <html> switches this page without a reload.
 */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-700">
      Theme
      <select
        value={theme}
        onChange={(event) => {
          const chosen = event.target.value as Theme;
          setTheme(chosen);
          document.documentElement.dataset.theme = chosen;
          document.cookie = `${THEME_COOKIE}=${chosen}; path=/; max-age=31536000; samesite=lax`;
        }}
        className="min-h-11 rounded-md border border-slate-300 bg-white px-2 text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {value === "system" ? "System" : value === "light" ? "Light" : "Dark"}
          </option>
        ))}
      </select>
    </label>
  );
}
