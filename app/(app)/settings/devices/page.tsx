import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { KeyHistorySection } from "@/components/settings/key-history";
import { DeviceList, SignedOutHistory, SignOutEverywhereElse } from "./_components/device-list";
import { requireCompleteProfile } from "@/lib/auth/current";
import { groupDevices, listAccountDevices, signedInElsewhere } from "@/lib/settings/devices";

export const metadata: Metadata = { title: "Devices" };

export default async function DevicesSettingsPage() {
  const session = await requireCompleteProfile();
  const devices = await listAccountDevices(session);
  const { active, signedOut } = groupDevices(devices);
  return (
    <>
      <Card
        title="Devices"
        description="Browsers and messaging apps signed in to your account. Signing a device out ends its sessions at once and deletes the encryption keys it published."
      >
        <DeviceList devices={active} />
        <SignedOutHistory devices={signedOut} />
      </Card>
      <SignOutEverywhereElse othersSignedIn={signedInElsewhere(devices)} />
      <KeyHistorySection userId={session.userId} />
    </>
  );
}
