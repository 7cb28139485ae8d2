import type { ReactNode } from "react";
import { StepHeading } from "./step-heading";

const TITLE_CLASS = "text-lg font-semibold text-slate-900";

export function Card({
  title,
  description,
  children,
  focusTitle = false,
  tone = "plain",
}: {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  /** For a step that replaces the one before it in place: its title takes focus when it appears. */
  focusTitle?: boolean;
  /** "danger": the card that holds actions that destroy or lock something out (a "danger zone"). */
  tone?: "plain" | "danger";
}) {
  return (
    <section className={`rounded-lg border ${tone === "danger" ? "border-red-300" : "border-slate-200"} bg-white p-5 shadow-sm sm:p-6`}>
      {title && focusTitle ? <StepHeading className={TITLE_CLASS}>{title}</StepHeading> : null}
      {title && !focusTitle ? <h2 className={TITLE_CLASS}>{title}</h2> : null}
      {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
      <div className={title || description ? "mt-4" : undefined}>{children}</div>
    </section>
  );
}
