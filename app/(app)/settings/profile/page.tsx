import type { Metadata } from "next";
import { requireCompleteProfile } from "@/lib/auth/current";
import { ProfileForm } from "./_components/profile-form";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfileSettingsPage() {
  const { user } = await requireCompleteProfile();
  return (
    <ProfileForm
      initialValues={{
        name: user.name ?? "",
        username: user.username ?? "",
        fullName: user.fullName ?? "",
        dob: user.dob ? user.dob.toISOString().slice(0, 10) : "",
        country: user.country ?? "",
        state: user.state ?? "",
        zip: user.zip ?? "",
      }}
    />
  );
}
