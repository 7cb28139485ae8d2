import type { Metadata } from "next";
import { revertPreview } from "@/lib/settings/contact-revert";
import { RevertEmailChangeForm, type RevertList } from "./_components/revert-email-change-form";

// The token is in the URL: keep it out of Referer headers sent to anything this page links to.
export const metadata: Metadata = { title: "Undo a change to your account", referrer: "no-referrer" };

const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function RevertEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  // Read without using the link: the page lists what the undo removes, each checked (ADR 0086).
  const preview = token ? await revertPreview(token) : null;
  const list: RevertList | null = preview && {
    kind: preview.kind,
    passkeys: preview.passkeys.map((passkey) => ({ id: passkey.id, label: `${passkey.name}, added ${utcMinute(passkey.createdAt)}` })),
    devices: preview.devices.map((device) => `${device.name}, added ${utcMinute(device.createdAt)}`),
    twoStep: preview.twoStep ? `Two-step verification, turned on or changed ${utcMinute(preview.twoStep.since)}` : null,
    password: preview.password ? `The password set ${utcMinute(preview.password.since)}` : null,
    phone: preview.phone && {
      now: preview.phone.now,
      byDefault: preview.phone.before ?? "none",
      choices: [...preview.phone.choices, ...(preview.phone.before === null ? ["none"] : [])],
    },
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{preview?.kind === "phone" ? "Undo the phone number change" : "Undo the email change"}</h1>
      <RevertEmailChangeForm token={token} list={list} />
    </div>
  );
}
