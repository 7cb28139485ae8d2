import { z } from "zod";
import { parseProxyEntry } from "./http/client-address";
import { COUNTRY_CODES } from "./validation/countries";
import { jsonText } from "./validation/json-text";
import { oidcProvidersSchema, type OidcProvider } from "./validation/oidc-providers";

// WebAuthn (passkeys, docs/decisions/0045) binds credentials to APP_URL's host: browsers refuse an
// IP address as relying-party id and allow plain http only on localhost.
const LOCAL_HOSTS = /^(localhost|.+\.localhost)$/;
const IP_HOST = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/** Why passkeys cannot work at this public URL, or null when they can. */
export function relyingPartyProblem(appUrl: string): string | null {
  const { protocol, hostname } = new URL(appUrl);
  if (IP_HOST.test(hostname)) return "must use a host name, not an IP address (passkeys are bound to a domain; use localhost locally)";
  if (protocol !== "https:" && !LOCAL_HOSTS.test(hostname)) return "must be https:// (plain http works only on localhost)";
  return null;
}

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()));

/** Every setting Latchkey reads, documented in .env.example. */
/** One witness or auditor of the key-transparency log; its key name is the one in `vkey`. */
const ktWitnessSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, "a short name: letters, digits, . _ -"),
    url: z.url(),
    vkey: z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/, "must be a note verifier key (<name>+<id>+<key>)"),
    role: z.enum(["witness", "auditor"]).default("witness"),
  })
  .strict();

export type KtWitness = z.infer<typeof ktWitnessSchema>;

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    APP_URL: z.url().default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().default("Latchkey <no-reply@latchkey.local>"),
    SMS_PROVIDER: z.enum(["outbox", "twilio"]).default("outbox"),
    TWILIO_API_URL: z.url().default("https://api.twilio.com"),
    TWILIO_ACCOUNT_SID: z.string().optional(),
    TWILIO_AUTH_TOKEN: z.string().optional(),
    TWILIO_FROM: z.string().optional(),
    // Empty: texts go to every country. Otherwise only numbers of these countries get one (ADR 0027).
    SMS_ALLOWED_COUNTRIES: z
      .string()
      .transform((value) => value.split(",").map((entry) => entry.trim().toUpperCase()).filter(Boolean))
      .pipe(z.array(z.string().refine((code) => COUNTRY_CODES.has(code), "each entry must be an ISO 3166-1 alpha-2 code, like US or DE")))
      .default([]),
    SMS_HOURLY_BUDGET: z.coerce.number().int().min(1).default(1000),
    // Texts per hour to the numbers of one country (ADR 0081); unset: half of SMS_HOURLY_BUDGET.
    SMS_COUNTRY_HOURLY_BUDGET: z.coerce.number().int().min(1).optional(),
    ADMIN_EMAILS: commaList.default([]),
    OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
    TRUSTED_PROXIES: z
      .string()
      .transform((value) => value.split(",").map((entry) => entry.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine((entry) => parseProxyEntry(entry) !== null, "each entry must be an IP address or a CIDR range")))
      .default([]),
    // Fractions are allowed (0.05 = every 3 s): the two-instance test watches both instances clean.
    CLEANUP_INTERVAL_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(60),
    OUTBOX_POLL_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
    // A browser session left unused this long ends (ADR 0068: NIST SP 800-63B's 30 minutes at AAL2).
    // At least 5: use is recorded once a minute, so a shorter limit would end sessions in use.
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(30 * 24 * 60).default(30),
    // A messaging client's bearer token unused this long is revoked (it keeps its 90-day lifetime otherwise).
    CLIENT_IDLE_DAYS: z.coerce.number().min(1).max(90).default(90),
    // The key that encrypts authenticator secrets at rest; derived from AUTH_SECRET when unset (ADR 0070).
    TWO_STEP_KEY: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
    // Unset: on in production, off elsewhere (an admin without two-step verification is sent to set it up).
    REQUIRE_TWO_STEP_FOR_ADMINS: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
    // Key transparency (ADR 0060): the log's note signing key (PRIVATE+KEY+<origin>+…, Ed25519) and
    // the VRF secret key (32 bytes, base64); both generated into .data/ outside production.
    KT_LOG_KEY: z.string().startsWith("PRIVATE+KEY+", "must be a note private key (PRIVATE+KEY+<name>+<id>+<key>)").optional(),
    KT_VRF_KEY: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes in base64")
      .optional(),
    KT_EPOCH_SECONDS: z.coerce.number().min(0).max(24 * 3600).default(60),
    // Witnesses and auditors the log pushes each checkpoint to (ADR 0077), as JSON:
    // [{"name":"auditor","url":"http://…","vkey":"<name>+<id>+<key>","role":"auditor"}]; role defaults to witness.
    KT_WITNESSES: jsonText("must be JSON: a list of {name, url, vkey, role?}")
      .pipe(z.array(ktWitnessSchema).max(20))
      .refine((list) => new Set(list.map((w) => w.name)).size === list.length, "names must be unique")
      .default([]),
    // `npm run dev` (and `npm start` with this set) starts a witness and the auditor beside the server (scripts/run-with-db.ts).
    KT_LOCAL_WITNESS: z.enum(["true", "false"]).transform((value) => value === "true").default(false),
    // "Continue with …" identity providers (ADR 0083); none by default.
    OIDC_PROVIDERS: oidcProvidersSchema.default([]),
    // Branding (issue 25): the name pages and mails use, the logo mark, and the accent colour.
    PRODUCT_NAME: z.string().trim().min(1).max(40).default("Latchkey"),
    // A path on this site (the Content-Security-Policy allows images from the site itself only).
    PRODUCT_LOGO_URL: z
      .string()
      .regex(/^\/(?!\/)[^\s"'<>()\\]*$/, "must be a path on this site, like /brand/logo.svg")
      .default("/logo.svg"),
    ACCENT_COLOR: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #174cad")
      .transform((value) => value.toLowerCase())
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    }
    const relyingParty = relyingPartyProblem(env.APP_URL);
    if (relyingParty) ctx.addIssue({ code: "custom", path: ["APP_URL"], message: relyingParty });
    if (env.SMS_PROVIDER === "twilio") {
      for (const key of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when SMS_PROVIDER=twilio" });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvironmentError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings (VAR= in a .env file) mean "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The parsed environment, read once per process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The database URL; the launcher (scripts/run-with-db.ts) sets it when it starts the embedded server. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new InvalidEnvironmentError("DATABASE_URL is not set: start the app with `npm run dev` or `npm start`.");
  return url;
}

/** The WebAuthn relying party: APP_URL's host is its id, APP_URL's origin the only accepted origin. */
export function relyingParty(): { id: string; origin: string; name: string } {
  const url = new URL(env().APP_URL);
  return { id: url.hostname, origin: url.origin, name: env().PRODUCT_NAME };
}

/** The server secret from which every other key (code HMAC, JWT) is derived. */
export function authSecret(): string {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new InvalidEnvironmentError("AUTH_SECRET is not set: start the app with `npm run dev` or `npm start`.");
  return secret;
}

/** Whether admins must have two-step verification on before the admin area opens (ADR 0072). */
export function twoStepRequiredForAdmins(): boolean {
  const { REQUIRE_TWO_STEP_FOR_ADMINS, NODE_ENV } = env();
  return REQUIRE_TWO_STEP_FOR_ADMINS ?? NODE_ENV === "production";
}

/**
 * True when the public URL is https: cookies are then `Secure` with the `__Secure-`/`__Host-`
 * prefixes, and HSTS is sent (ADR 0025). Read from APP_URL, the one public-URL setting.
 */
export function servedOverHttps(): boolean {
  return env().APP_URL.startsWith("https:");
}

/** The configured "Continue with …" providers, in the order the operator listed them. */
export function oidcProviders(): OidcProvider[] {
  return env().OIDC_PROVIDERS;
}

/** The operator's branding: product name, logo mark (a path on this site) and accent colour, if set. */
export function brand(): { name: string; logoUrl: string; accentColor: string | null } {
  const { PRODUCT_NAME, PRODUCT_LOGO_URL, ACCENT_COLOR } = env();
  return { name: PRODUCT_NAME, logoUrl: PRODUCT_LOGO_URL, accentColor: ACCENT_COLOR ?? null };
}
