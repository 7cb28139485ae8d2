"use client";
import { useState, useSyncExternalStore } from "react";
import { useController, type Control, type FieldValues, type Path } from "react-hook-form";
import { AsYouType, getCountries, getCountryCallingCode, type CountryCode } from "libphonenumber-js/min";
import { Field, Input, Select } from "@/components/ui/field";
import { COUNTRIES } from "@/lib/validation/countries";

/** What the page renders before the browser's locale is known (ADR 56). */
export const SERVER_DEFAULT_COUNTRY: CountryCode = "US";

const CALLING_COUNTRIES = new Set<string>(getCountries());

// English names from the project's ISO list (the same on server and browser, so no hydration
// mismatch), limited to countries with a calling code.
const OPTIONS = COUNTRIES.filter(({ code }) => CALLING_COUNTRIES.has(code)).map(({ code, name }) => ({
  code: code as CountryCode,
  label: `${flagOf(code)} ${name} (+${getCountryCallingCode(code as CountryCode)})`,
}));

function flagOf(code: string): string {
  return String.fromCodePoint(...[...code].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
}

function localeCountry(): CountryCode {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    return region && CALLING_COUNTRIES.has(region) ? (region as CountryCode) : SERVER_DEFAULT_COUNTRY;
  } catch {
    return SERVER_DEFAULT_COUNTRY;
  }
}

const digitsOf = (text: string) => text.replace(/\D/g, "");
const neverChanges = () => () => {};

/** The E.164 the form submits; an incomplete number still goes as "+<code><digits>", so the schema names what is wrong. */
function e164Of(formatter: AsYouType, country: CountryCode, text: string): string {
  const number = formatter.getNumber();
  if (number) return number.number;
  const digits = digitsOf(text);
  if (!digits) return "";
  return text.trimStart().startsWith("+") ? `+${digits}` : `+${getCountryCallingCode(country)}${digits}`;
}

/**
 * A phone number: a country picker and the national number, formatted as it is typed. Typing or
 * pasting a number with + and a country code switches the picker to that country. The form value
 * is the number in E.164, which the shared zod schema and the server action expect.
 */
export function PhoneField<T extends FieldValues>({
  id,
  label,
  name,
  control,
  error,
  hint,
}: {
  id: string;
  label: string;
  name: Path<T>;
  control: Control<T>;
  error?: string;
  hint?: string;
}) {
  const { field } = useController({ name, control });
  // Rendered with the server default, then the browser's region once hydrated.
  const fromLocale = useSyncExternalStore(neverChanges, localeCountry, () => SERVER_DEFAULT_COUNTRY);
  const [chosen, setChosen] = useState<CountryCode | null>(null);
  const [text, setText] = useState("");
  const country = chosen ?? fromLocale;

  function show(nextText: string, nextCountry: CountryCode) {
    const international = nextText.trimStart().startsWith("+");
    const formatter = new AsYouType(international ? undefined : nextCountry);
    let formatted = formatter.input(nextText);
    const found = international ? formatter.getCountry() : undefined;
    const number = formatter.getNumber();
    if (found && number?.isPossible()) {
      // A whole international number: the picker takes its country, the input its national form.
      nextCountry = found;
      formatted = number.formatNational();
    }
    setChosen(nextCountry);
    setText(formatted);
    field.onChange(e164Of(formatter, nextCountry, formatted));
  }

  function onType(value: string) {
    // Deleting a space or bracket the formatter added would only bring it back: delete the digit before it.
    const erasedFormatting = value.length < text.length && digitsOf(value) === digitsOf(text);
    show(erasedFormatting ? value.replace(/\d(?=\D*$)/, "") : value, country);
  }

  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => (
        <div className="grid gap-2 sm:grid-cols-[14rem_1fr]">
          <label htmlFor={`${id}-country`} className="sr-only">
            Country
          </label>
          <Select id={`${id}-country`} value={country} onChange={(event) => show(text, event.target.value as CountryCode)}>
            {OPTIONS.map((option) => (
              <option key={option.code} value={option.code}>
                {option.label}
              </option>
            ))}
          </Select>
          <Input
            id={id}
            ref={field.ref}
            name={field.name}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            value={text}
            onChange={(event) => onType(event.target.value)}
            onBlur={field.onBlur}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        </div>
      )}
    </Field>
  );
}
