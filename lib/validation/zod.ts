import { z } from "zod";

// Schemas shared with the browser are built with this `z`. Without `jitless`, zod probes for eval
// with `new Function("")` on the first parse: the strict CSP blocks it (ADR 0025) and the browser
// reports a violation, though zod swallows the error. Configured here, in the module every shared
// schema imports first, because zod reads the setting when a schema is built.
z.config({ jitless: true });

export { z };
