import type { Metadata } from "next";
import { formatCount, formatPercent, MetricCard, MetricGroup } from "@/components/admin/metric-card";
import { TrendCharts } from "@/components/admin/trend-charts";
import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/settings/time";
import { getAdminMetrics, LOW_PREKEY_STOCK, STALLED_EPOCHS } from "@/lib/admin/metrics";
import { requireAdmin } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Dashboard" };

const share = (part: number, whole: number) => (whole > 0 ? `${formatPercent(part / whole)} of all accounts` : undefined);

export default async function AdminDashboardPage() {
  await requireAdmin();
  const metrics = await getAdminMetrics();
  const { users, codes, outbox, sms, devices, prekeys, lookups, transparency } = metrics;
  return (
    <>
      <div>
        <h1 className="text-2xl font-bold text-slate-900">Dashboard</h1>
        <p className="text-sm text-slate-600">
          As of <Time value={new Date(metrics.generatedAt)} />. Days are UTC days. The same figures are at{" "}
          <code className="rounded bg-slate-100 px-1">GET /api/admin/metrics</code>.
        </p>
      </div>
      {sms.paused ? (
        <Alert tone="error">
          Text messages are paused: the hourly SMS budget ({formatCount(sms.hourlyBudget)}, <code>SMS_HOURLY_BUDGET</code>) is spent.
          Sign-up, sign-in and phone changes by SMS are refused until the oldest texts of the hour age out. A sudden spike
          is often SMS pumping: check the audit log and consider <code>SMS_ALLOWED_COUNTRIES</code>.
        </Alert>
      ) : null}
      {transparency.stalled ? (
        <Alert tone="error">
          Key transparency has stalled: the newest epoch is {formatCount(transparency.lastEpochAgeSeconds ?? 0)} s old, more than {STALLED_EPOCHS} ×{" "}
          <code>KT_EPOCH_SECONDS</code> ({transparency.epochSeconds} s). New and revoked keys are not being published, and clients that verify keys will
          soon refuse the stale log. Check the app&apos;s logs for publish errors.
        </Alert>
      ) : null}
      <MetricGroup title="Accounts">
        <MetricCard label="Accounts" value={formatCount(users.total)} detail={`${formatCount(users.signedUpLast24h)} new in 24 h · ${formatCount(users.admins)} admin${users.admins === 1 ? "" : "s"}`} />
        <MetricCard label="Verified (email or phone)" value={formatCount(users.verified)} detail={share(users.verified, users.total)} />
        <MetricCard label="Profile complete" value={formatCount(users.profileComplete)} detail={share(users.profileComplete, users.total)} />
        <MetricCard label="Active (not deactivated)" value={formatCount(users.active)} detail={`${formatCount(users.total - users.active)} deactivated`} />
        <MetricCard label="Signed in, last 24 h" value={formatCount(users.signedInLast24h)} />
        <MetricCard label="Signed in, last 7 days" value={formatCount(users.signedInLast7d)} />
        <MetricCard label="Using passkeys" value={formatCount(users.withPasskeys)} detail={share(users.withPasskeys, users.total)} />
        <MetricCard label="Two-step verification on" value={formatCount(users.withTwoStep)} detail={share(users.withTwoStep, users.total)} />
      </MetricGroup>
      <MetricGroup title="Verification codes">
        <MetricCard label="Codes sent today" value={formatCount(codes.sentToday)} detail={`${formatCount(codes.sentLast30d)} in 30 days`} />
        <MetricCard
          label="Codes verified today"
          value={formatCount(codes.verifiedToday)}
          detail={`${formatCount(codes.verifiedLast30d)} in 30 days (${formatPercent(codes.sentLast30d ? codes.verifiedLast30d / codes.sentLast30d : null)})`}
        />
        <MetricCard label="Lock-outs today" value={formatCount(codes.lockedToday)} detail={`${formatCount(codes.lockedLast30d)} in 30 days`} tone={codes.lockedToday > 0 ? "warn" : "plain"} />
        <MetricCard label="Codes waiting to be used" value={formatCount(codes.pending)} />
      </MetricGroup>
      <MetricGroup title="Mail and SMS outbox">
        <MetricCard label="Waiting to be sent" value={formatCount(outbox.pending)} />
        <MetricCard label="Failed (gave up)" value={formatCount(outbox.failed)} tone={outbox.failed > 0 ? "warn" : "plain"} />
        <MetricCard
          label="SMS in the last hour"
          value={formatCount(sms.sentLastHour)}
          detail={`of a budget of ${formatCount(sms.hourlyBudget)}`}
          tone={sms.paused ? "warn" : "plain"}
        />
      </MetricGroup>
      <MetricGroup title="Devices and keys">
        <MetricCard label="Active devices" value={formatCount(devices.active)} detail={`${formatCount(devices.seenLast7d)} seen in 7 days`} />
        <MetricCard label="Active sessions" value={formatCount(devices.sessionsActive)} />
        <MetricCard
          label={`Low on one-time prekeys (< ${LOW_PREKEY_STOCK})`}
          value={formatCount(prekeys.devicesLowOnPreKeys)}
          detail={`of ${formatCount(prekeys.devicesPublishing)} messaging devices · ${formatCount(prekeys.unclaimedPreKeys)} keys left`}
          tone={prekeys.devicesLowOnPreKeys > 0 ? "warn" : "plain"}
        />
        <MetricCard
          label={`Low on Kyber prekeys (< ${LOW_PREKEY_STOCK})`}
          value={formatCount(prekeys.devicesLowOnPqPreKeys)}
          detail={`${formatCount(prekeys.unclaimedPqPreKeys)} keys left`}
          tone={prekeys.devicesLowOnPqPreKeys > 0 ? "warn" : "plain"}
        />
      </MetricGroup>
      <MetricGroup title="Key transparency log">
        <MetricCard label="Log size (epochs)" value={formatCount(transparency.logSize)} />
        <MetricCard
          label="Last epoch"
          value={transparency.lastEpochAgeSeconds === null ? "none yet" : `${formatCount(transparency.lastEpochAgeSeconds)} s ago`}
          detail={`one due every ${transparency.epochSeconds} s`}
          tone={transparency.stalled ? "warn" : "plain"}
        />
        <MetricCard label="Updates waiting to be published" value={formatCount(transparency.pendingUpdates)} />
      </MetricGroup>
      <MetricGroup title="People lookups by clients">
        <MetricCard
          label="Username lookups today"
          value={formatCount(lookups.today.usernameLookups)}
          detail={`${formatCount(lookups.today.usernameMatches)} found · ${formatCount(lookups.last7d.usernameLookups)} in 7 days`}
        />
        <MetricCard
          label="Phone numbers looked up today"
          value={formatCount(lookups.today.phoneNumbersLookedUp)}
          detail={`in ${formatCount(lookups.today.phoneLookups)} requests · ${formatCount(lookups.today.phoneMatches)} found`}
        />
        <MetricCard
          label="Phone numbers looked up, 7 days"
          value={formatCount(lookups.last7d.phoneNumbersLookedUp)}
          detail={`in ${formatCount(lookups.last7d.phoneLookups)} requests · ${formatCount(lookups.last7d.phoneMatches)} found`}
        />
      </MetricGroup>
      <section aria-labelledby="trends" className="space-y-3">
        <h2 id="trends" className="text-lg font-semibold text-slate-900">
          Last 30 days
        </h2>
        <TrendCharts trends={metrics.trends} />
      </section>
    </>
  );
}
