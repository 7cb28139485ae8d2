/** Every settings page, in the order the settings menu, the account menu and home list them. */
export const SETTINGS_SECTIONS = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/email", label: "Email address" },
  { href: "/settings/phone", label: "Phone number" },
  { href: "/settings/password", label: "Password" },
  { href: "/settings/passkeys", label: "Passkeys" },
  { href: "/settings/two-step", label: "Two-step verification" },
  { href: "/settings/sign-in-methods", label: "Sign-in methods" },
  { href: "/settings/privacy", label: "Privacy" },
  { href: "/settings/devices", label: "Devices" },
  { href: "/settings/security", label: "Security activity" },
  { href: "/settings/account", label: "Your account" },
] as const;
