import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db";
import { Prisma } from "../generated/prisma/client";
import { createTestDevice, createTestUser, resetDatabase } from "../../test/db";
import { createSession } from "../auth/sessions";
import { listSecurityActivity } from "../settings/activity";
import { listAuditEvents, auditLogQuerySchema } from "./audit-log";
import { getUserDetail, listUsers, searchUsers, viewUserDetail, USER_FILTERS, USER_SORTS, userListQuerySchema, userListSql, USERS_PAGE_SIZE } from "./users";

const query = (input: Record<string, unknown> = {}) => userListQuerySchema.parse(input);
const emailsOf = (rows: { email: string | null }[]) => rows.map((row) => row.email);

describe("listUsers", () => {
  beforeEach(resetDatabase);

  async function population() {
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    return {
      alice: await createTestUser({ email: "alice@example.test", username: "alice_w", createdAt: day(1), lastLoginAt: day(20), role: "ADMIN" }),
      bob: await createTestUser({ email: "bob@sample.test", username: "bobby", createdAt: day(2), emailVerified: false }),
      carol: await createTestUser({ email: "carol@example.test", username: "carol", createdAt: day(3), isProfileComplete: false, lastLoginAt: day(25) }),
      dan: await createTestUser({ email: null, emailVerified: false, phoneNumber: "+12125550187", phoneVerified: true, username: "dan", createdAt: day(4), isActive: false }),
    };
  }

  it("searches email, username and phone number by substring, and ids exactly", async () => {
    const { alice, dan } = await population();
    expect(emailsOf((await listUsers(query({ q: "EXAMPLE.test" }))).users)).toEqual(["carol@example.test", "alice@example.test"]);
    expect(emailsOf((await listUsers(query({ q: "bobb" }))).users)).toEqual(["bob@sample.test"]);
    expect((await listUsers(query({ q: "555 018" }))).users.map((row) => row.id)).toEqual([dan.id]);
    expect((await listUsers(query({ q: alice.id.toUpperCase() }))).users.map((row) => row.id)).toEqual([alice.id]);
    // LIKE wildcards in the search are literal characters.
    expect((await listUsers(query({ q: "%%%" }))).users).toEqual([]);
    expect((await listUsers(query({ q: "ob_" }))).users).toEqual([]); // "_" would match bob@ as a wildcard
    expect((await listUsers(query({ q: "e_w" }))).users.map((row) => row.id)).toEqual([alice.id]);
    expect((await listUsers(query({ q: "nobody-here" }))).users).toEqual([]);
  });

  it("filters unverified, incomplete, inactive and admin accounts", async () => {
    const { alice, bob, carol, dan } = await population();
    const ids = async (filter: string) => (await listUsers(query({ filter }))).users.map((row) => row.id);
    expect(await ids("all")).toEqual([dan.id, carol.id, bob.id, alice.id]);
    expect(await ids("unverified")).toEqual([bob.id]);
    expect(await ids("incomplete")).toEqual([carol.id]);
    expect(await ids("inactive")).toEqual([dan.id]);
    expect(await ids("admin")).toEqual([alice.id]);
  });

  it("sorts by creation, email and last sign-in", async () => {
    const { alice, bob, carol, dan } = await population();
    const ids = async (sort: string) => (await listUsers(query({ sort }))).users.map((row) => row.id);
    expect(await ids("oldest")).toEqual([alice.id, bob.id, carol.id, dan.id]);
    expect(await ids("email")).toEqual([alice.id, bob.id, carol.id]);
    expect(await ids("last_sign_in")).toEqual([carol.id, alice.id]);
  });

  it("pages through the list without repeating or skipping anyone", async () => {
    for (let i = 0; i < USERS_PAGE_SIZE + 3; i += 1) await createTestUser({ createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });
    const first = await listUsers(query({ page: 1 }));
    const second = await listUsers(query({ page: "2" }));
    expect(first.users).toHaveLength(USERS_PAGE_SIZE);
    expect(first.hasNextPage).toBe(true);
    expect(second.users).toHaveLength(3);
    expect(second.hasNextPage).toBe(false);
    expect(new Set([...first.users, ...second.users].map((row) => row.id)).size).toBe(USERS_PAGE_SIZE + 3);
  });

  it("falls back to defaults for nonsense in the query string", () => {
    expect(query({ q: "ab", filter: "root", sort: "; DROP TABLE users", page: "-4" })).toEqual({
      q: "",
      filter: "all",
      sort: "newest",
      page: 1,
    });
  });
});

describe("getUserDetail", () => {
  beforeEach(resetDatabase);

  it("shows profile, devices with key stock, live sessions and the user's audit events, never the password hash", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const user = await createTestUser({ password: "$argon2id$v=19$m=19456,t=2,p=1$secret" });
    const device = await createTestDevice(user.id);
    await prisma.oneTimePreKey.createMany({
      data: [1, 2, 3].map((keyId) => ({ deviceId: device.id, keyId, publicKey: randomBytes(33), used: keyId === 3 })),
    });
    await createSession(prisma, { userId: user.id, deviceId: device.id, kind: "CLIENT" });
    await prisma.session.create({ data: { userId: user.id, deviceId: device.id, kind: "CLIENT", tokenHash: "old", expiresAt: new Date(Date.now() - 1000) } });
    await prisma.auditEvent.create({ data: { action: "admin.user_deactivated", userId: user.id, actorId: admin.id } });
    await prisma.auditEvent.create({ data: { action: "user.signed_in", userId: admin.id } });

    const detail = await getUserDetail(user.id);

    expect(detail).not.toBeNull();
    expect(JSON.stringify(detail)).not.toContain("argon2id");
    expect(detail!.hasPassword).toBe(true);
    expect(detail!.devices).toHaveLength(1);
    expect(detail!.devices[0]!._count).toEqual({ oneTimePreKeys: 2, kyberPreKeys: 0 });
    expect(detail!.sessions).toHaveLength(1);
    expect(detail!.auditEvents).toMatchObject([{ action: "admin.user_deactivated", actor: { id: admin.id, email: admin.email } }]);
    expect(await getUserDetail("not-a-uuid")).toBeNull();
  });
});

describe("an admin looking leaves a trace (ADR 0074)", () => {
  beforeEach(resetDatabase);

  it("records who viewed whom and what was searched, in the admin audit log, not in the person's own activity", async () => {
    const admin = await createTestUser({ role: "ADMIN" });
    const person = await createTestUser({ email: "watched@example.test", password: "$argon2id$v=19$m=19456,t=2,p=1$secret" });
    const context = { ip: "198.51.100.4", userAgent: "admin browser" };

    expect(await viewUserDetail(admin.id, person.id, context)).toMatchObject({ id: person.id });
    expect(await viewUserDetail(admin.id, "00000000-0000-4000-8000-000000000000", context)).toBeNull();
    expect((await searchUsers(admin.id, query({ q: "watched@" }), context)).users.map((row) => row.id)).toEqual([person.id]);
    await searchUsers(admin.id, query({}), context); // the bare list names nobody

    const { events } = await listAuditEvents(auditLogQuerySchema.parse({ actor: admin.id }));
    expect(events.map((event) => ({ action: event.action, user: event.user?.id ?? null, ip: event.ip, metadata: event.metadata }))).toEqual([
      { action: "admin.users_searched", user: null, ip: context.ip, metadata: { q: "watched@", filter: "all", sort: "newest", page: 1 } },
      { action: "admin.user_viewed", user: person.id, ip: context.ip, metadata: {} },
    ]);
    expect(JSON.stringify(events)).not.toContain("argon2id");
    expect((await listSecurityActivity(person.id)).events).toEqual([]);
  });
});

describe("with 100,000 users", () => {
  beforeAll(async () => {
    await resetDatabase();
    await prisma.$executeRaw`
      INSERT INTO users (id, email, username, phone_number, email_verified, phone_verified, is_profile_complete,
        is_active, role, created_at, updated_at, last_login_at)
      SELECT gen_random_uuid(), 'person' || n || '@example' || (n % 97) || '.test', 'person_' || n,
        '+1555' || lpad(n::text, 7, '0'), n % 10 <> 0, n % 13 = 0, n % 7 <> 0, n % 50 <> 0,
        (CASE WHEN n % 5000 = 0 THEN 'ADMIN' ELSE 'USER' END)::"Role",
        now() - make_interval(mins => n), now(), CASE WHEN n % 3 = 0 THEN now() - make_interval(hours => n % 500) END
      FROM generate_series(1, 100000) AS n`;
    // Statistics from every row, not a random sample, so the planner's choice is the same each run.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL default_statistics_target = 1000`;
      await tx.$executeRaw`ANALYZE users`;
    });
  }, 120_000);

  async function planOf(sql: Prisma.Sql): Promise<string> {
    const rows = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sql}`);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  }

  const cases = [
    ...USER_FILTERS.flatMap((filter) => USER_SORTS.map((sort) => ({ filter, sort }))),
    { q: "person4242" },
    { q: "example13.test", filter: "inactive" },
    { q: "555 0004" },
    { q: "PERSON_99", sort: "email" },
    { page: 3000 },
  ];

  it.each(cases)("answers %o from an index, without a sequential scan of users", async (input) => {
    const plan = await planOf(userListSql(query(input)));
    expect(plan).not.toMatch(/Seq Scan on users/);
    expect(plan).toMatch(/Index/);
  });

  // Every search reads the whole pending list of new rows' trigrams (4 MB by default): with this
  // table a phone-number search took 3.7-7.5 ms instead of 0.2 ms (npm run bench, goal 7).
  it("keeps the search indexes' lists of not-yet-indexed rows small", async () => {
    const rows = await prisma.$queryRaw<{ name: string; options: string[] | null }[]>`
      SELECT relname AS name, reloptions AS options FROM pg_class WHERE relname LIKE 'users\_%\_trgm\_idx' ORDER BY relname`;
    expect(rows).toEqual(
      ["users_email_trgm_idx", "users_phone_number_trgm_idx", "users_username_trgm_idx"].map((name) => ({
        name,
        options: ["gin_pending_list_limit=128"],
      })),
    );
  });

  it("answers an id lookup from the primary key", async () => {
    const { id } = await prisma.user.findFirstOrThrow({ select: { id: true } });
    expect(await planOf(userListSql(query({ q: id })))).toMatch(/Index Scan using users_pkey/);
    expect((await listUsers(query({ q: id }))).users.map((row) => row.id)).toEqual([id]);
  });

  it("finds the right rows among them", async () => {
    const { users } = await listUsers(query({ q: "person4242@", filter: "all" }));
    expect(emailsOf(users)).toEqual(["person4242@example71.test"]);
    const admins = await listUsers(query({ filter: "admin" }));
    expect(admins.users).toHaveLength(20);
  });
});
