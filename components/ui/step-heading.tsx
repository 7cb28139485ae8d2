"use client";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * The heading of a step that replaced the previous one in place (no navigation): it takes focus
 * when it appears, so keyboard users continue from the new step instead of the page's top and
 * screen readers announce the step once, by its heading (issue 25).
 */
export function StepHeading({ className, children }: { className: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h2 ref={heading} tabIndex={-1} className={`${className} focus:outline-none`}>
      {children}
    </h2>
  );
}
