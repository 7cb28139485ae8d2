import type { Metadata } from "next";
import { requireCompleteProfile } from "@/lib/auth/current";
import { ProfileForm } from "@/app/onboarding/profile-form";

export const metadata: Metadata = { title: "Profile" };

// The onboarding form and action (same schema, same checks); for a complete profile the action
// saves the changes and audits "user.profile_updated".
export default async function ProfileSettingsPage() {
  const { user } = await requireCompleteProfile();
  return (
    <ProfileForm
      submitLabel="Save changes"
      savedMessage="Your profile was saved."
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
