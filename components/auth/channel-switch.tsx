"use client";

export type Channel = "email" | "phone";

/** Two buttons that choose email or phone; aria-pressed tells assistive tech which is on. */
export function ChannelSwitch({ value, onChange, label }: { value: Channel; onChange: (channel: Channel) => void; label: string }) {
  const option = (channel: Channel, text: string) => (
    <button
      type="button"
      aria-pressed={value === channel}
      onClick={() => onChange(channel)}
      className="min-h-11 flex-1 rounded-md px-3 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600 aria-pressed:bg-white aria-pressed:text-brand-800 aria-pressed:shadow-sm text-slate-700"
    >
      {text}
    </button>
  );
  return (
    <div role="group" aria-label={label} className="flex gap-1 rounded-lg bg-slate-100 p-1">
      {option("email", "Email")}
      {option("phone", "Phone")}
    </div>
  );
}
