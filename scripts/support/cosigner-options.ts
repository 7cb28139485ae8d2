// Command-line options shared by `npm run kt:witness` and `npm run kt:audit`, checked with zod so
// a typo stops the process with a message instead of starting a witness for no log.
import { parseArgs } from "node:util";
import { z } from "zod";

const common = {
  state: { type: "string" },
  "log-vkey": { type: "string", multiple: true },
  name: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
} as const;

const schema = z.object({
  state: z.string().min(1),
  "log-vkey": z.array(z.string().min(1)).default([]).pipe(z.array(z.string()).min(1, "give the log's verifier key with --log-vkey <vkey>")),
  name: z.string().regex(/^[^\s+]+$/, "a key name has no spaces or `+`"),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(0),
  "log-url": z.url().optional(),
  once: z.boolean().default(false),
});

export type CosignerOptions = z.infer<typeof schema>;

export function cosignerOptions(defaults: { state: string; name: string }, extra: { "log-url"?: { type: "string" }; once?: { type: "boolean" } } = {}): CosignerOptions {
  const { values } = parseArgs({ options: { ...common, ...extra }, strict: true });
  const parsed = schema.safeParse({ ...defaults, ...values });
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
    process.exit(2);
  }
  return parsed.data;
}
