"use client";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Signs out through next-auth, whose signOut event deletes this browser's Session row. */
export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  // No redirect by next-auth: it would build the address from NEXTAUTH_URL, not from this page.
  const onClick = async () => {
    setPending(true);
    await signOut({ redirect: false });
    router.replace("/sign-in");
    router.refresh();
  };
  return (
    <Button
      type="button"
      variant="secondary"
      pending={pending}
      onClick={() => void onClick()}
    >
      Sign out
    </Button>
  );
}
