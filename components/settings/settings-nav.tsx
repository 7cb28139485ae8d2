"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { SETTINGS_SECTIONS } from "./sections";

// On a phone the sections are one row that scrolls sideways: the current one is brought into
// view, and an edge that hides more sections fades out, so it shows that the row scrolls.
const FADES = {
  none: "",
  start: "[mask-image:linear-gradient(to_left,black_85%,transparent)]",
  end: "[mask-image:linear-gradient(to_right,black_85%,transparent)]",
  both: "[mask-image:linear-gradient(to_right,transparent,black_15%,black_85%,transparent)]",
} as const;

function hiddenEdges(list: HTMLElement): keyof typeof FADES {
  const moreBefore = list.scrollLeft > 1;
  const moreAfter = list.scrollLeft + list.clientWidth < list.scrollWidth - 1;
  return moreBefore && moreAfter ? "both" : moreBefore ? "start" : moreAfter ? "end" : "none";
}

export function SettingsNav() {
  const pathname = usePathname();
  const listRef = useRef<HTMLUListElement>(null);
  const [fade, setFade] = useState<keyof typeof FADES>("none");

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const current = list.querySelector<HTMLElement>('[aria-current="page"]');
    // scrollLeft, not scrollIntoView: the page itself must not scroll.
    if (current) list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
    const update = () => setFade(hiddenEdges(list));
    update();
    list.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      list.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [pathname]);

  return (
    <nav aria-label="Settings" className="min-w-0">
      <ul
        ref={listRef}
        data-hidden-edges={fade}
        className={`relative flex gap-2 overflow-x-auto pb-1 md:flex-col md:gap-1 md:overflow-visible md:[mask-image:none] ${FADES[fade]}`}
      >
        {SETTINGS_SECTIONS.map((section) => {
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
