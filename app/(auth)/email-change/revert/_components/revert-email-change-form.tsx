"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, LinkButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { revertContactChangeAction } from "../actions";

/** What the undo removes, as the page lists it (lib/settings/contact-revert.ts revertPreview). */
export type RevertList = {
  kind: "email" | "phone";
  passkeys: { id: string; label: string }[];
  devices: string[];
  twoStep: string | null;
  password: string | null;
  /** The numbers the owner may end with ("none" for no number); today's is kept by "keep". */
  phone: { now: string | null; byDefault: string; choices: string[] } | null;
};

function RemoveBox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="flex items-start gap-2 text-slate-700">
      <input type="checkbox" className="mt-1 h-4 w-4" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

/**
 * A button, not an automatic revert on opening the link: mail scanners that fetch links must not
 * undo a change nobody asked to undo. Everything added in the days before the change is listed and
 * removed by default: nothing tells whose it is, and whoever took the account prepared it then.
 */
export function RevertEmailChangeForm({ token, list }: { token: string; list: RevertList | null }) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [keptPasskeys, setKeptPasskeys] = useState<string[]>([]);
  const [kept, setKept] = useState({ twoStep: false, password: false });
  const [phone, setPhone] = useState(list?.phone?.byDefault);

  if (outcome?.ok) {
    return (
      <Card>
        <div className="space-y-4">
          <Alert tone="success">{outcome.text}</Alert>
          <p className="text-slate-700">Sign in again, then change your password if someone else made that change.</p>
          <LinkButton href="/sign-in" className="w-full">
            Sign in
          </LinkButton>
        </div>
      </Card>
    );
  }

  const what = list?.kind === "phone" ? "phone number" : "email address";
  return (
    <Card description={`This restores the ${what} this link was sent to and signs out every device and browser on the account.`}>
      <div className="space-y-4">
        {outcome ? <Alert tone="error">{outcome.text}</Alert> : null}
        {list ? (
          <fieldset className="space-y-2">
            <legend className="font-medium">Also removed, as added or changed in the 7 days before the change (untick what is yours):</legend>
            {list.passkeys.map((passkey) => (
              <RemoveBox
                key={passkey.id}
                label={`Passkey: ${passkey.label}`}
                checked={!keptPasskeys.includes(passkey.id)}
                onChange={(remove) => setKeptPasskeys((ids) => (remove ? ids.filter((id) => id !== passkey.id) : [...ids, passkey.id]))}
              />
            ))}
            {list.twoStep ? <RemoveBox label={list.twoStep} checked={!kept.twoStep} onChange={(remove) => setKept({ ...kept, twoStep: !remove })} /> : null}
            {list.password ? <RemoveBox label={list.password} checked={!kept.password} onChange={(remove) => setKept({ ...kept, password: !remove })} /> : null}
            {list.phone ? (
              <fieldset className="space-y-1">
                <legend className="text-slate-700">The phone number changed in those days. Which number should the account have?</legend>
                {[...list.phone.choices, "keep"].map((choice) => (
                  <label key={choice} className="flex items-center gap-2 text-slate-700">
                    <input type="radio" name="phone" className="h-4 w-4" checked={phone === choice} onChange={() => setPhone(choice)} />
                    <span>{choice === "none" ? "No number" : choice === "keep" ? `Keep today's number ${list.phone?.now ?? "(none)"}` : `Put back ${choice}`}</span>
                  </label>
                ))}
              </fieldset>
            ) : null}
            {list.devices.length ? (
              <p className="text-slate-700">Signed out and removed with their encryption keys: {list.devices.join("; ")}.</p>
            ) : null}
          </fieldset>
        ) : null}
        <Button
          type="button"
          className="w-full"
          pending={pending}
          disabled={!token}
          onClick={async () => {
            setPending(true);
            const result = await revertContactChangeAction({ token, keep: { passkeyIds: keptPasskeys, ...kept, phone } });
            setPending(false);
            setOutcome({ ok: result.ok, text: result.ok ? (result.message ?? "Done.") : result.message });
          }}
        >
          {list?.kind === "phone" ? "Restore my number and sign out everywhere" : "Restore my address and sign out everywhere"}
        </Button>
        {!token ? <Alert tone="error">This link is incomplete. Open it again from the mail.</Alert> : null}
      </div>
    </Card>
  );
}
