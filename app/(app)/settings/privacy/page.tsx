import type { Metadata } from "next";
import { PrivacyForm } from "./_components/privacy-form";
import { requireCompleteProfile } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Privacy" };

export default async function PrivacySettingsPage() {
  const { user } = await requireCompleteProfile();
  return (
    <PrivacyForm
      initialValues={{ discoverableByUsername: user.discoverableByUsername, discoverableByPhone: user.discoverableByPhone }}
      hasVerifiedPhone={user.phoneVerified && user.phoneNumber !== null}
    />
  );
}
