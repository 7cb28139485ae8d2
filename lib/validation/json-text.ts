import { z } from "zod";

/**
 * A setting written as JSON text (an environment variable): parsed, or refused with `message`
 * naming the shape expected; pipe the result into the schema of that shape.
 */
export const jsonText = (message: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
  });
