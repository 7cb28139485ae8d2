import type { FormFactor } from "@/lib/devices/user-agent";

// 24 px outline icons drawn for Latchkey, in the text colour; decoration only (the row says the same in words).
const PATHS: Record<FormFactor, string> = {
  phone: "M8 2.5h8a1.5 1.5 0 0 1 1.5 1.5v16a1.5 1.5 0 0 1-1.5 1.5H8A1.5 1.5 0 0 1 6.5 20V4A1.5 1.5 0 0 1 8 2.5zM11 18.5h2",
  tablet: "M5.5 2.5h13A1.5 1.5 0 0 1 20 4v16a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 20V4a1.5 1.5 0 0 1 1.5-1.5zM10.5 18.5h3",
  computer: "M4.5 4.5h15A1.5 1.5 0 0 1 21 6v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 15V6a1.5 1.5 0 0 1 1.5-1.5zM8 20.5h8M12 16.5v4",
  app: "M7 3.5h10A3.5 3.5 0 0 1 20.5 7v10a3.5 3.5 0 0 1-3.5 3.5H7A3.5 3.5 0 0 1 3.5 17V7A3.5 3.5 0 0 1 7 3.5zM8 10.5h8M8 14h5",
};

export function DeviceIcon({ formFactor }: { formFactor: FormFactor }) {
  return (
    <svg data-form-factor={formFactor} aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" className="shrink-0 text-slate-600">
      <path d={PATHS[formFactor]} />
    </svg>
  );
}
