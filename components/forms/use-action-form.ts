"use client";
import { useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/actions";

export type FormMessage = { tone: "error" | "success" | "info"; text: string } | null;

/**
 * A react-hook-form form validated in the browser with the same zod schema its server action
 * uses. The action receives the raw inputs (it parses them itself); its field errors land beside
 * the fields and its message in the form's live region.
 */
export function useActionForm<S extends z.ZodType<unknown, FieldValues>, T>(
  schema: S,
  action: (input: z.input<S>) => Promise<ActionResult<T>>,
  options: {
    defaultValues?: DefaultValues<z.input<S>>;
    onSuccess?: (data: T, message?: string) => void | Promise<void>;
    /**
     * "change" (the default): after the first submit each field is checked again as it changes,
     * so a fixed mistake clears at once. "submit": only on submit, for a code field that sends
     * itself, where a half-typed next code is no mistake.
     */
    revalidateOn?: "change" | "submit";
  } = {},
) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    // The resolver's generics cannot follow a generic schema; the form is typed by S above.
    resolver: zodResolver(schema as never) as never,
    defaultValues: options.defaultValues,
    // Nothing turns red before the person has tried to submit: leaving a field (or clicking past
    // the sign-in field, focused on load) is no mistake (issue 25).
    mode: "onSubmit",
    reValidateMode: options.revalidateOn === "submit" ? "onSubmit" : "onChange",
  });
  const [message, setMessage] = useState<FormMessage>(null);
  const [retryAfterSeconds, setRetryAfterSeconds] = useState<number | null>(null);

  // Client-side errors are focused by react-hook-form itself (shouldFocusError); this does the same
  // for the field errors the server returns, so a keyboard or screen-reader user lands on the field.
  const submit = form.handleSubmit(async (_data, event) => {
    setMessage(null);
    const result = await action(form.getValues());
    if (!result.ok) {
      const fieldErrors = result.fieldErrors ?? {};
      const first = firstInDocumentOrder(event?.target, Object.keys(fieldErrors));
      for (const [field, text] of Object.entries(fieldErrors)) {
        form.setError(field as Path<z.input<S>>, { message: text }, { shouldFocus: field === first });
      }
      setRetryAfterSeconds(result.retryAfterSeconds ?? null);
      if (!result.fieldErrors || Object.keys(result.fieldErrors).some((field) => !(field in form.getValues()))) {
        setMessage({ tone: "error", text: result.message });
      }
      return;
    }
    if (result.message) setMessage({ tone: "success", text: result.message });
    await options.onSuccess?.(result.data, result.message);
  });

  const errorOf = (field: Path<z.input<S>>) => form.formState.errors[field]?.message as string | undefined;

  return { form, submit, message, setMessage, retryAfterSeconds, errorOf, pending: form.formState.isSubmitting };
}

/** The name, among `names`, of the control that comes first in the submitted form. */
function firstInDocumentOrder(target: EventTarget | null | undefined, names: string[]): string | undefined {
  if (!(target instanceof HTMLFormElement)) return names[0];
  const control = Array.from(target.elements).find((element) => names.includes(element.getAttribute("name") ?? ""));
  return control?.getAttribute("name") ?? names[0];
}
