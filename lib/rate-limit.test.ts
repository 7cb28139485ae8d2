import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { prisma } from "./db";
import { RateLimitedError } from "./errors";
import { consumeAllowances, consumeBurst, countWindow, hitWindow, tryConsumeAllowances, type BurstLimit } from "./rate-limit";
import type { Tx } from "./db";

/** One allowance, the wait in seconds when refused (null when allowed). */
const tryConsumeBurst = (key: string, limit: BurstLimit, tx?: Tx) => tryConsumeAllowances([{ key, limit }], tx);
import { resetDatabase } from "../test/db";

// A second client with its own pool stands in for a second app instance.
const otherInstance = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) });
afterAll(() => otherInstance.$disconnect());

beforeEach(resetDatabase);

describe("consumeBurst (GCRA)", () => {
  it("allows the burst, then refuses with the wait until the next request is allowed", async () => {
    const limit = { burst: 3, perSeconds: 60 };
    for (let i = 0; i < 3; i++) await consumeBurst("k", limit);
    const wait = await tryConsumeBurst("k", limit);
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
    await expect(consumeBurst("k", limit)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("keeps keys apart", async () => {
    const limit = { burst: 1, perSeconds: 60 };
    await consumeBurst("a", limit);
    await expect(consumeBurst("b", limit)).resolves.toBeUndefined();
    await expect(consumeBurst("a", limit)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("refills at the steady rate", async () => {
    const limit = { burst: 2, perSeconds: 60 };
    await consumeBurst("k", limit);
    await consumeBurst("k", limit);
    // Pretend two minutes passed: the bucket is full again.
    await prisma.$executeRaw`UPDATE rate_limit_buckets SET reset_at = reset_at - interval '2 minutes'`;
    await consumeBurst("k", limit);
    await consumeBurst("k", limit);
    expect(await tryConsumeBurst("k", limit)).not.toBeNull();
  });

  it("is exact under concurrent requests from two instances", async () => {
    const limit = { burst: 10, perSeconds: 60 };
    const attempts = Array.from({ length: 60 }, (_, i) =>
      tryConsumeBurst("shared", limit, i % 2 === 0 ? prisma : otherInstance),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((wait) => wait === null)).toHaveLength(10);
  });
});

describe("consumeAllowances (several buckets in one statement)", () => {
  it("charges every bucket or none: a refusal by one leaves the others untouched and creates no rows", async () => {
    const roomy = { burst: 5, perSeconds: 60 };
    const tight = { burst: 1, perSeconds: 60 };
    await consumeAllowances([{ key: "roomy", limit: roomy }, { key: "tight", limit: tight }]);
    const before = await prisma.rateLimitBucket.findMany({ orderBy: { key: "asc" } });

    const wait = await tryConsumeAllowances([{ key: "roomy", limit: roomy }, { key: "tight", limit: tight }, { key: "fresh", limit: roomy }]);
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await prisma.rateLimitBucket.findMany({ orderBy: { key: "asc" } })).toEqual(before);
    await expect(consumeAllowances([{ key: "tight", limit: tight }])).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("spends `cost` units at once: a request costing more than is left is refused whole", async () => {
    const limit = { burst: 10, perSeconds: 60 };
    await consumeAllowances([{ key: "numbers", limit, cost: 7 }]);
    const wait = await tryConsumeAllowances([{ key: "numbers", limit, cost: 4 }]);
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(60);
    await expect(consumeAllowances([{ key: "numbers", limit, cost: 3 }])).resolves.toBeUndefined();
    await expect(consumeAllowances([{ key: "numbers", limit }])).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("is exact under concurrent requests sharing buckets from two instances", async () => {
    const limit = { burst: 8, perSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        tryConsumeAllowances(
          [{ key: "shared", limit }, { key: `own:${i % 4}`, limit: { burst: 3, perSeconds: 60 } }],
          i % 2 === 0 ? prisma : otherInstance,
        ),
      ),
    );
    expect(results.filter((wait) => wait === null)).toHaveLength(8);
  });
});

describe("hitWindow (exact sliding window)", () => {
  it("allows `limit` hits in the window and refuses the next with the time until the oldest leaves", async () => {
    const limit = { limit: 5, windowSeconds: 3600 };
    for (let i = 0; i < 5; i++) await hitWindow("send:a@example.test", limit);
    const refusal = await hitWindow("send:a@example.test", limit).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBeGreaterThan(3500);
    expect((await countWindow("send:a@example.test", 3600)).count).toBe(5);
  });

  it("forgets hits older than the window", async () => {
    const limit = { limit: 1, windowSeconds: 60 };
    await hitWindow("k", limit);
    await prisma.$executeRaw`UPDATE rate_limit_hits SET created_at = created_at - interval '61 seconds'`;
    await expect(hitWindow("k", limit)).resolves.toBeUndefined();
  });

  it("never lets concurrent requests from two instances slip past the limit", async () => {
    const limit = { limit: 5, windowSeconds: 3600 };
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0 ? hitWindow("race", limit) : otherInstance.$transaction((tx) => hitWindow("race", limit, tx)),
      ),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    expect((await countWindow("race", 3600)).count).toBe(5);
  });
});
