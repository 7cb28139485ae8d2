import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireCompleteProfile } from "@/lib/auth/current";
import { SignInNoticeAlert } from "@/components/auth/sign-in-notice";

export const metadata: Metadata = { title: "Home" };

const SETTINGS = [
  { href: "/settings/profile", label: "Profile", description: "Your name, username and address details." },
  { href: "/settings/email", label: "Email address", description: "Change the address you sign in with." },
  { href: "/settings/phone", label: "Phone number", description: "Add or change your phone number." },
  { href: "/settings/password", label: "Password", description: "Set or change your password." },
  { href: "/settings/devices", label: "Devices", description: "See where you are signed in and sign devices out." },
  { href: "/settings/security", label: "Security activity", description: "Recent sign-ins and account changes." },
];

export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<{ notice?: string | string[] }> }) {
  const session = await requireCompleteProfile();
  const { notice } = await searchParams;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Hello, {session.user.name}</h1>
        <p className="text-slate-700">
          You are signed in on <strong>{session.device.name}</strong>.
        </p>
      </div>
      <SignInNoticeAlert notice={notice} />
      <Card title="Your account">
        <ul className="grid gap-3 sm:grid-cols-2">
          {SETTINGS.map((item) => (
            <li key={item.href}>
              <Link href={item.href} className="block rounded-md border border-slate-200 p-4 hover:border-brand-600 hover:bg-brand-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
                <span className="font-semibold text-brand-800">{item.label}</span>
                <span className="mt-1 block text-sm text-slate-600">{item.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
