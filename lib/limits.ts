import { env } from "./env";
import type { BurstLimit, WindowLimit } from "./rate-limit";

// Every named rate limit and budget of Latchkey, in one table (as Signal-Server's RateLimiters):
// the modules that charge them, the API's route table and its OpenAPI text read them here. A
// BurstLimit is a burst, then one more every `perSeconds` (GCRA); a WindowLimit is "at most `limit`
// in any `windowSeconds`" (lib/rate-limit.ts). All are kept in PostgreSQL, shared by all instances.

/**
 * Verification codes (DECISIONS.md §1–2, lib/verification/codes.ts). Sends and wrong guesses are
 * charged to the requester (a network, or a signed-in account) as well as to the address, and a
 * requester known to the address's account is never refused by what strangers spent (ADR 0080).
 */
export const CODE_LIMITS = {
  /** A new code for the same purpose and address from the same requester: once a minute (the code page counts down to it). */
  resend: { limit: 1, windowSeconds: 60 } satisfies WindowLimit,
  /** Codes one requester may have sent to one address an hour (for an email or phone change, per asking account and address, ADR 0052). */
  sends: { limit: 5, windowSeconds: 60 * 60 } satisfies WindowLimit,
  /**
   * Codes sent to one address an hour from every requester together (it protects the mailbox);
   * past it only requesters known to the address's account get one. Email and phone changes are
   * outside it (ADR 0052).
   */
  sendsPerAddress: { limit: 10, windowSeconds: 60 * 60 } satisfies WindowLimit,
  /** Wrong codes for one address, across codes, that lock it for requesters not known to its account… */
  failures: { limit: 10, windowSeconds: 60 * 60 } satisfies WindowLimit,
  /** …and, counted per requester, that lock that requester (known or not)… */
  requesterFailures: { limit: 10, windowSeconds: 60 * 60 } satisfies WindowLimit,
  /** …for this long. */
  lockSeconds: 15 * 60,
};

/**
 * Messaging devices an account may have at once, as Signal allows one primary and five linked
 * devices (ADR 0062): it bounds a bundle fetch's answer and the keys one claim spends.
 */
export const MAX_MESSAGING_DEVICES = 6;

/** Wrong guesses one requester may make at one code (OTP_MAX_ATTEMPTS, 5 unless configured). */
export const codeAttempts = (): number => env().OTP_MAX_ATTEMPTS;

/**
 * Wrong guesses everyone together may make at one code (stored as its max_attempts; 15 by
 * default): requesters unknown to the account, held to CODE_LIMITS.failures per address, can spend
 * at most that many of them, so a known owner always keeps their own OTP_MAX_ATTEMPTS (ADR 0080).
 */
export const codeGuessesInTotal = (): number => CODE_LIMITS.failures.limit + codeAttempts();

/**
 * How long a session of each kind may sit unused before it ends (ADR 0068): a browser's by
 * SESSION_IDLE_MINUTES, a messaging client's token by CLIENT_IDLE_DAYS. Use is recorded at most
 * once a minute, so a session ends within a minute of its limit.
 */
export const sessionIdleMs = (kind: "BROWSER" | "CLIENT"): number =>
  kind === "BROWSER" ? env().SESSION_IDLE_MINUTES * 60_000 : env().CLIENT_IDLE_DAYS * 86_400_000;

/** Texts per hour across all instances (SMS_HOURLY_BUDGET, ADR 0027): when spent, SMS codes are refused. */
export const smsBudget = (): WindowLimit => ({ limit: env().SMS_HOURLY_BUDGET, windowSeconds: 60 * 60 });

/**
 * The shares of that budget one source may spend (ADR 0081), charged before it: one requester (a
 * network, or a signed-in account) 10 texts an hour; the numbers of one country
 * SMS_COUNTRY_HOURLY_BUDGET (half the budget unless configured).
 */
export const SMS_SHARES = {
  perRequester: { limit: 10, windowSeconds: 60 * 60 } satisfies WindowLimit,
  perCountry: (): WindowLimit => ({
    limit: env().SMS_COUNTRY_HOURLY_BUDGET ?? Math.ceil(env().SMS_HOURLY_BUDGET / 2),
    windowSeconds: 60 * 60,
  }),
};

/** Per client IP address, on the public flows of the browser. */
export const IP_LIMITS = {
  /** Code requests (sign-in by code), across all addresses, so nobody can mail-bomb a list of strangers. */
  codeRequests: { burst: 20, perSeconds: 10 } satisfies BurstLimit,
  /** Sign-ups, across all addresses. */
  signUps: { burst: 20, perSeconds: 10 } satisfies BurstLimit,
  resetRequests: { burst: 20, perSeconds: 10 } satisfies BurstLimit,
  /** Any server action that names no allowance of its own (lib/actions.ts): generous for people, tight for scripts. */
  serverAction: { burst: 30, perSeconds: 2 } satisfies BurstLimit,
  /** Password and passkey sign-in actions. */
  signInAction: { burst: 20, perSeconds: 6 } satisfies BurstLimit,
  /** Actions that check the signed-in person's password or passkey, and the email-change revert link. */
  confirmationAction: { burst: 10, perSeconds: 6 } satisfies BurstLimit,
  /** Deleting one's account in the browser. */
  accountDeletionAction: { burst: 5, perSeconds: 60 } satisfies BurstLimit,
  /**
   * The onboarding form's "is this username free?" check. Each check is also charged to the
   * account's username-lookup budget (CALLER_LIMITS.usernameLookup); per address, two accounts'
   * worth an hour, so accounts made in bulk behind one address do not multiply it.
   */
  usernameCheckAction: { burst: 200, perSeconds: 18 } satisfies BurstLimit,
  /** The public routes of the client API; the code and password checks add their own limits. */
  publicApi: { burst: 20, perSeconds: 3 } satisfies BurstLimit,
};

/** Passwords and passkeys. */
export const SIGN_IN_LIMITS = {
  /**
   * Wrong passwords per account identifier, known or not, counted on failures only (ADR 0076):
   * per requester (IP address or IPv6 /64) 10 in 10 minutes; per account from everyone 100 an
   * hour, past which only requesters without a failure there may try (so the owner still can).
   */
  passwordFailures: {
    perRequester: { limit: 10, windowSeconds: 10 * 60 } satisfies WindowLimit,
    perAccount: { limit: 100, windowSeconds: 60 * 60 } satisfies WindowLimit,
  },
  /** Wrong passwords when a signed-in person confirms it's them or changes their password. */
  ownPasswordGuesses: { limit: 5, windowSeconds: 15 * 60 } satisfies WindowLimit,
  /** Passkey registration ceremonies one account may start: a burst of 10, then one a minute. */
  passkeyRegistrations: { burst: 10, perSeconds: 60 } satisfies BurstLimit,
  /** Answers per passkey credential, right or wrong: a burst of 10, then one a minute (like password guesses). */
  passkeyAssertions: { burst: 10, perSeconds: 60 } satisfies BurstLimit,
};

/** Two-step verification (ADR 0070): wrong authenticator or recovery codes per account, across sign-ins… */
export const TWO_STEP_LIMITS = {
  /**
   * Wrong second-factor answers (ADR 0087, after ADR 0076): a requester past its own failures is
   * refused; past the account's cap from everyone, only a requester with no failure there gets a try.
   */
  failures: {
    perRequester: { limit: 10, windowSeconds: 60 * 60 } satisfies WindowLimit,
    perAccount: { limit: 30, windowSeconds: 60 * 60 } satisfies WindowLimit,
  },
  /** Wrong answers one sign-in challenge takes before it dies: each new round costs a first factor. */
  challengeWrongAnswers: 3,
  /** Wrong answers against an account (within `failures.perAccount`'s window) that get its owner the "being guessed" mail, at most once a day. */
  guessNotice: { after: 3, everySeconds: 24 * 60 * 60 },
  /** Sign-in challenges a first factor may start per account, so nobody fills the table. */
  challenges: { burst: 20, perSeconds: 30 } satisfies BurstLimit,
};

/** Different new addresses or numbers one account may ask for in an hour (each also has the per-address code limits). */
export const CONTACT_CHANGE_REQUESTS: WindowLimit = { limit: 10, windowSeconds: 60 * 60 };

/**
 * What one caller may spend on one bearer operation of the client API, per calling device and per
 * calling account, all its devices together (ADR 0041).
 */
export const CALLER_LIMITS = {
  /** Reads and cheap writes: far above what a client needs, low enough to bound what one token costs. */
  default: { perDevice: { burst: 60, perSeconds: 1 }, perAccount: { burst: 120, perSeconds: 0.5 } },
  /** Each key upload costs about a hundred signature checks and an audit row: a client needs a few a day. */
  keyUpload: { perDevice: { burst: 5, perSeconds: 600 }, perAccount: { burst: 10, perSeconds: 120 } },
  /**
   * Fetches of anyone's keys (the shape of Signal-Server's prekey limiter): enough to start
   * conversations with a few hundred people at once (a new group), too little to walk the
   * directory or drain keys across many users. Per device half the account's, so one device
   * cannot spend its whole account's.
   */
  keyClaim: { perDevice: { burst: 100, perSeconds: 36 }, perAccount: { burst: 200, perSeconds: 18 } },
  /** Username lookups (ADR 0046): Signal-Server's usernameLookup limiter, 100, then one every 15 minutes (96 a day). */
  usernameLookup: { perDevice: { burst: 100, perSeconds: 15 * 60 }, perAccount: { burst: 100, perSeconds: 15 * 60 } },
  /** Phone-number lookups, counted one by one: a first contact sync of up to 1,000 numbers, then 1,000 a day (ADR 0047). */
  phoneLookup: { perDevice: { burst: 1000, perSeconds: 86_400 / 1000 }, perAccount: { burst: 1000, perSeconds: 86_400 / 1000 } },
} satisfies Record<string, { perDevice: BurstLimit; perAccount: BurstLimit }>;

/** Fetches of one user's keys, besides the caller's own allowances. */
export const KEY_CLAIM_TARGET_LIMITS = {
  /** By one device: a burst of 10, then 1 a minute. */
  perDevice: { burst: 10, perSeconds: 60 } satisfies BurstLimit,
  /**
   * By all devices of one account together: without it, an account that signs in many client
   * devices would multiply the per-device allowance and drain a target.
   */
  perAccount: { burst: 30, perSeconds: 20 } satisfies BurstLimit,
};

/**
 * One-time keys of one device that every requester together may claim (ADR 0069): a burst of 40,
 * then one every 90 s (40 an hour), below the 100 a client keeps in stock, so no group of accounts
 * can drain a person's keys. Beyond it a fetch still answers, with no EC one-time key and the Kyber
 * last-resort key, which still builds a session.
 */
export const ONE_TIME_KEY_CLAIMS_PER_DEVICE: BurstLimit = { burst: 40, perSeconds: 90 };

/** The owner hears of throttled claims by a security notice at most this often per device (ADR 0069). */
export const KEY_CLAIMS_THROTTLED_NOTICE: BurstLimit = { burst: 1, perSeconds: 24 * 60 * 60 };
