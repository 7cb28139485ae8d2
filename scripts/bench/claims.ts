// Claim path of the prekey directory: claimBundles (two rate-limit upserts + one statement that locks,
// claims and reads a bundle) against a baseline measured in the same run on the same database,
// a plain SELECT of one unclaimed key row. Prints throughput and the ratio to the baseline.
import { randomBytes, randomUUID } from "node:crypto";
import { measure, printRatios, withBenchDatabase } from "./_harness";

const SEQUENTIAL_OPS = 400;
const CONCURRENT_OPS = 2000;
const CONCURRENCY = 10;
const STOCK = SEQUENTIAL_OPS + CONCURRENT_OPS + 100; // one-time keys of each kind, so claims never run dry

await withBenchDatabase(run);

async function run() {
  const { prisma } = await import("../../lib/db");
  const { claimBundles } = await import("../../lib/keys/directory");

  // Keys are inserted directly: the benchmark is about claiming, not about signature checks.
  const user = await prisma.user.create({ data: { email: "target@bench.test" } });
  const target = await prisma.device.create({ data: { userId: user.id, name: "target", kind: "CLIENT" } });
  const deviceId = target.id;
  const bytes = (length: number, type?: number) => Uint8Array.from(randomBytes(length).map((byte, i) => (i === 0 && type ? type : byte)));
  await prisma.identityKey.create({ data: { deviceId, publicKey: bytes(33, 5), registrationId: 1 } });
  await prisma.signedPreKey.create({ data: { deviceId, keyId: 1, publicKey: bytes(33, 5), signature: bytes(64), expiresAt: new Date(Date.now() + 86_400_000) } });
  await prisma.kyberLastResortKey.create({ data: { deviceId, keyId: 0, publicKey: bytes(1569, 8), signature: bytes(64) } });
  await prisma.oneTimePreKey.createMany({ data: Array.from({ length: STOCK }, (_, keyId) => ({ deviceId, keyId, publicKey: bytes(33, 5) })) });
  for (let start = 1; start <= STOCK; start += 500) {
    const keyIds = Array.from({ length: Math.min(500, STOCK - start + 1) }, (_, i) => start + i);
    await prisma.kyberPreKey.createMany({ data: keyIds.map((keyId) => ({ deviceId, keyId, publicKey: bytes(1569, 8), signature: bytes(64) })) });
  }

  // Each requester (a device of its own account) stays inside its bursts of 10, so both rate
  // limits are paid for but never refuse.
  const requesterCount = Math.ceil((SEQUENTIAL_OPS + CONCURRENT_OPS + 50) / 10);
  const requesters = Array.from({ length: requesterCount }, () => ({ userId: randomUUID(), deviceId: randomUUID() }));
  await prisma.user.createMany({ data: requesters.map(({ userId }) => ({ id: userId })) });
  await prisma.device.createMany({
    data: requesters.map(({ userId, deviceId: id }) => ({ id, userId, name: "requester", kind: "CLIENT" as const })),
  });
  let next = 0;
  const claimOne = () => {
    const requester = requesters[Math.floor(next++ / 10)]!;
    return claimBundles({ requesterUserId: requester.userId, requesterDeviceId: requester.deviceId, targetUserId: user.id, deviceId });
  };
  const selectOne = () => prisma.$queryRaw`SELECT id, key_id, public_key FROM one_time_prekeys WHERE device_id = ${deviceId}::uuid AND NOT used LIMIT 1`;

  for (let i = 0; i < 50; i++) await selectOne(); // warm the pool and the plan cache
  for (let i = 0; i < 50; i++) await claimOne();

  const rows = [
    ["sequential (1 at a time)", await measure(selectOne, SEQUENTIAL_OPS, 1), await measure(claimOne, SEQUENTIAL_OPS, 1)],
    [`concurrent (${CONCURRENCY} at a time)`, await measure(selectOne, CONCURRENT_OPS, CONCURRENCY), await measure(claimOne, CONCURRENT_OPS, CONCURRENCY)],
  ] as const;

  const served = await prisma.oneTimePreKey.count({ where: { deviceId, used: true } });
  printRatios(
    `claimBundles on one device (${served} one-time keys claimed, none twice: unique (device, key) rows)`,
    "baseline SELECT",
    rows.map(([mode, baseline, claims]) => [`claim, ${mode}`, baseline, claims] as const),
  );
}
