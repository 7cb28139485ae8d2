import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { keyHistory, type KeyHistoryVersion } from "@/lib/transparency/key-history";

function deviceList(ids: string[], names: Record<string, string>): string {
  return ids.map((id) => names[id] ?? `unknown device ${id.slice(0, 8)}`).join(", ");
}

function VersionRow({ version, names }: { version: KeyHistoryVersion; names: Record<string, string> }) {
  return (
    <li className="py-3">
      <p className="text-sm font-medium text-slate-900">
        Version {version.version} · epoch {version.epoch} · <LocalTime value={version.publishedAt} />
      </p>
      <p className="text-sm text-slate-600">
        {version.devices === null
          ? "Published as removed: the account was deleted."
          : [version.added.length > 0 ? `Added: ${deviceList(version.added, names)}` : null, version.removed.length > 0 ? `Removed: ${deviceList(version.removed, names)}` : null]
              .filter(Boolean)
              .join(" · ") || "No device changed."}
      </p>
      {version.unexplained.length > 0 ? (
        <p className="mt-1 text-sm font-semibold text-red-800">Not added by any of your devices: {deviceList(version.unexplained, names)}</p>
      ) : null}
    </li>
  );
}

/**
 * The account's published key history (issue 23): each version of its keys in the transparency
 * log, and a plain warning when one holds a device none of the account's devices added.
 */
export async function KeyHistorySection({ userId }: { userId: string }) {
  const { versions, deviceNames } = await keyHistory(userId);
  const unexplained = versions.flatMap((v) => v.unexplained);
  return (
    <Card
      title="Key history"
      description="Every change to your messaging devices' encryption keys is published in Latchkey's public key log, so nobody can slip a key into your account unseen. Newest first."
    >
      {unexplained.length > 0 ? (
        <Alert tone="error">
          A device you did not add appears in your published keys: {deviceList([...new Set(unexplained)], deviceNames)}. Someone may be trying to read your messages. Sign out
          every device you do not recognise, and contact support.
        </Alert>
      ) : null}
      {versions.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing published yet: keys appear here within a minute of a messaging app uploading them.</p>
      ) : (
        <ol className="divide-y divide-slate-200" aria-label="Published key versions">
          {[...versions].reverse().map((version) => (
            <VersionRow key={version.version} version={version} names={deviceNames} />
          ))}
        </ol>
      )}
    </Card>
  );
}
