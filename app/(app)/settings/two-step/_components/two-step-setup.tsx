"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeField } from "@/components/forms/code-field";
import { FormShell } from "@/components/forms/form-shell";
import { useActionForm } from "@/components/forms/use-action-form";
import { useConfirmedAction } from "@/components/forms/use-confirmed-action";
import { confirmTwoStepSchema } from "@/lib/settings/schemas";
import type { TwoStepSetup } from "@/lib/two-step/two-step";
import { confirmTwoStepSetupAction, regenerateRecoveryCodesAction, startTwoStepSetupAction, turnOffTwoStepAction } from "../actions";

/** Ten recovery codes, shown once: copy, download as .txt, print. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Latchkey recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  const download = () => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = "latchkey-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Card
      title="Your recovery codes"
      description="If you lose your phone, each of these codes signs you in once instead of a code from the app. Keep them somewhere safe: this is the only time they are shown."
    >
      <ol className="grid grid-cols-1 gap-1 font-mono text-base text-slate-900 sm:grid-cols-2" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="mt-4 flex flex-wrap gap-2 print:hidden">
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button type="button" variant="secondary" onClick={download}>
          Download .txt
        </Button>
        <Button type="button" variant="secondary" onClick={() => window.print()}>
          Print
        </Button>
        <Button type="button" onClick={onDone}>
          I have saved them
        </Button>
      </div>
      <p className="sr-only" aria-live="polite">
        {copied ? "Recovery codes copied." : ""}
      </p>
    </Card>
  );
}

function ConfirmFirstCode({ setup, onConfirmed }: { setup: TwoStepSetup; onConfirmed: (codes: string[]) => void }) {
  const { form, submit, message, pending, errorOf } = useActionForm(confirmTwoStepSchema, confirmTwoStepSetupAction, {
    defaultValues: { code: "" },
    onSuccess: (data) => onConfirmed(data.recoveryCodes),
  });
  return (
    <Card title="Scan this code with your authenticator app" description="Or type the key into the app. Then enter the 6-digit code the app shows.">
      <div className="space-y-4">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server, nothing to optimise */}
        <img src={setup.qrCode} alt="QR code for your authenticator app" width={240} height={240} className="mx-auto" />
        <div>
          <p className="text-sm text-slate-700" id="two-step-key-label">
            Key
          </p>
          <p className="break-all font-mono text-base text-slate-900" aria-labelledby="two-step-key-label" data-testid="two-step-key">
            {setup.secret}
          </p>
        </div>
        <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Turn on" label="Confirm with a code from your app">
          <CodeField hint="The code the app shows for Latchkey." error={errorOf("code")} registration={form.register("code")} autoFocus />
        </FormShell>
      </div>
    </Card>
  );
}

/** Off → QR code and key → one current code → recovery codes. */
export function TurnOnTwoStep() {
  const router = useRouter();
  const [setup, setSetup] = useState<TwoStepSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setPending(true);
    setError(null);
    const result = await startTwoStepSetupAction({});
    setPending(false);
    if (result.ok) setSetup(result.data);
    else setError(result.message);
  };
  if (codes) return <RecoveryCodes codes={codes} onDone={() => router.refresh()} />;
  if (setup) return <ConfirmFirstCode setup={setup} onConfirmed={setCodes} />;
  return (
    <Card title="Turn on two-step verification">
      <div className="space-y-3">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <Button type="button" className="w-full" pending={pending} onClick={start}>
          Turn on two-step verification
        </Button>
      </div>
    </Card>
  );
}

/** On: new recovery codes, or turn it off. */
export function ManageTwoStep() {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const turnOff = useConfirmedAction(() => turnOffTwoStepAction({}));
  const regenerate = async () => {
    setError(null);
    const result = await regenerateRecoveryCodesAction({});
    if (result.ok) setCodes(result.data.recoveryCodes);
    else setError(result.message);
  };
  if (codes) return <RecoveryCodes codes={codes} onDone={() => (setCodes(null), router.refresh())} />;
  return (
    <>
      <Card title="Recovery codes" description="Lost them, or used most? New codes replace all the old ones.">
        <div className="space-y-3">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <Button type="button" variant="secondary" className="w-full" onClick={regenerate}>
            Make new recovery codes
          </Button>
        </div>
      </Card>
      <Card title="Turn off two-step verification" description="Signing in will then need only your password, a code or a link. We will mail you that it was turned off.">
        <div className="space-y-3">
          {turnOff.outcome ? <Alert tone={turnOff.outcome.ok ? "success" : "error"}>{turnOff.outcome.text}</Alert> : null}
          {turnOff.confirming ? (
            <div className="flex flex-wrap gap-2" role="group" aria-label="Confirm turning off">
              <Button type="button" variant="danger" pending={turnOff.pending} onClick={turnOff.confirm}>
                Yes, turn it off
              </Button>
              <Button type="button" variant="secondary" onClick={() => turnOff.setConfirming(false)}>
                Keep it on
              </Button>
            </div>
          ) : (
            <Button type="button" variant="danger" className="w-full" onClick={() => turnOff.setConfirming(true)}>
              Turn off
            </Button>
          )}
        </div>
      </Card>
    </>
  );
}
