"use client";
import { useRouter } from "next/navigation";
import type { DefaultValues, FieldValues } from "react-hook-form";
import type { z } from "zod";
import { FormShell } from "@/components/forms/form-shell";
import { TextField } from "@/components/forms/text-field";
import { useActionForm } from "@/components/forms/use-action-form";
import type { ActionResult } from "@/lib/actions";

type RenameInput = { name: string } & FieldValues;

/** Inline form renaming one listed thing: a hidden id field (`idField`) and its new `name`. */
export function RenameForm<S extends z.ZodType<RenameInput, RenameInput>>({
  schema,
  action,
  idField,
  id,
  name,
  fieldLabel,
  onDone,
}: {
  schema: S;
  action: (input: z.input<S>) => Promise<ActionResult<unknown>>;
  idField: string;
  id: string;
  name: string;
  fieldLabel: string;
  onDone: () => void;
}) {
  const router = useRouter();
  const { form, submit, message, pending, errorOf } = useActionForm(schema, action, {
    defaultValues: { [idField]: id, name } as DefaultValues<z.input<S>>,
    onSuccess: () => {
      onDone();
      router.refresh();
    },
  });
  return (
    <FormShell onSubmit={submit} message={message} pending={pending} submitLabel="Save name" label={`Rename ${name}`}>
      <input type="hidden" {...form.register(idField as never)} />
      <TextField id={`name-${id}`} label={fieldLabel} autoComplete="off" required error={errorOf("name" as never)} registration={form.register("name" as never)} />
    </FormShell>
  );
}
