"use client";
import { useId, useState } from "react";
import { THEME_COOKIE, THEMES, themeFrom, type Theme } from "@/lib/theme";

const NAMES: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

/** Shows `theme` on this page at once and keeps it for the next ones (a year-long cookie). */
function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * System, light or dark, as three small radio buttons (a native dropdown was tall and made short
 * pages scroll). The choice is a cookie, so the server renders the page in it at once (no flash
 * of the other theme), and data-theme on <html> switches this page without a reload.
 */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  // What <html> shows now: a switch opened later (in the account menu) follows a choice made since
  // the page was rendered. The server renders <html> from the same cookie as `initial`.
  const [theme, setTheme] = useState(() => (typeof document === "undefined" ? initial : themeFrom(document.documentElement.dataset.theme)));
  const name = useId();
  const choose = (chosen: Theme) => {
    setTheme(chosen);
    applyTheme(chosen);
  };
  return (
    <fieldset className="inline-flex items-center gap-2 text-sm text-slate-700">
      <legend className="sr-only">Theme</legend>
      <span aria-hidden="true">Theme</span>
      <span className="inline-flex rounded-md border border-slate-300 bg-white p-0.5">
        {THEMES.map((value) => (
          <label key={value} className="relative">
            <input type="radio" name={name} value={value} checked={theme === value} onChange={() => choose(value)} className="peer sr-only" />
            <span className="inline-flex min-h-9 cursor-pointer items-center rounded px-2 text-slate-700 peer-checked:bg-brand-100 peer-checked:font-semibold peer-checked:text-brand-800 peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-brand-600">
              {NAMES[value]}
            </span>
          </label>
        ))}
      </span>
    </fieldset>
  );
}
