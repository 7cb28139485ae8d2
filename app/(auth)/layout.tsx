import { PublicTopBar } from "@/components/public-top-bar";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center gap-6 px-4 py-10">
      <PublicTopBar />
      {children}
    </main>
  );
}
