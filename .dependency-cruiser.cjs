// The layout rule of lib/ and components/ (ADR 0059, README "Where things live"), checked by `npm run lint`.
// Five levels; a module imports only its own level or a lower one, never in a loop. The level of a
// file follows from its folder (or, at the top of lib/, its name), listed once here.

const LEVELS = {
  // Next.js and HTTP routes: the API's route table and handlers, server-action glue, next-auth.
  edge: "^lib/(api/|openapi\\.ts$|actions\\.ts$|auth/(current|next-auth)\\.ts$)",
  // One thing a person does: sign up, sign in, change email, delete the account, an admin's action.
  flow: "^lib/(accounts|settings|admin)/",
  // The rules of one stored thing.
  domain: "^lib/(auth/(?!current\\.ts$|next-auth\\.ts$)|(users|verification|devices|keys|passkeys|discovery|two-step|transparency|identities)/)",
  // PostgreSQL, mail, SMS, audit, rate limits and their table, jobs, the request's context.
  infrastructure: "^lib/(db\\.ts$|db/|mail/|sms/|audit\\.ts$|rate-limit\\.ts$|limits\\.ts$|jobs/|request-context\\.ts$|after-answer\\.ts$)",
  // No I/O: validation, formatting for people, environment, crypto, errors, HTTP parsing, generated Prisma types.
  base: "^lib/(validation/|format/|http/|generated/|env\\.ts$|crypto\\.ts$|errors\\.ts$|faults\\.ts$|theme\\.ts$)",
};

const ORDER = ["edge", "flow", "domain", "infrastructure", "base"];

/** One rule per level: nothing below it may import it. */
const pointDown = ORDER.slice(1).map((level, index) => ({
  name: `${level}-imports-only-down`,
  comment: `A ${level} module imports only ${ORDER.slice(index + 1).join(", ")} (ADR 0059).`,
  severity: "error",
  from: { path: LEVELS[level] },
  to: { path: ORDER.slice(0, index + 1).map((upper) => LEVELS[upper]) },
}));

module.exports = {
  forbidden: [
    ...pointDown,
    {
      name: "flows-apart",
      comment: "A flow area never imports another one: what two flows share moves down to the domain of its table.",
      severity: "error",
      from: { path: "^lib/(accounts|settings|admin)/" },
      to: { path: "^lib/(accounts|settings|admin)/", pathNot: "^lib/$1/" },
    },
    {
      name: "every-file-has-a-level",
      comment: "Every module of lib/ belongs to one level: add its folder to LEVELS in .dependency-cruiser.cjs.",
      severity: "error",
      from: { path: "^lib/", pathNot: Object.values(LEVELS) },
      to: {},
    },
    {
      name: "lib-knows-no-app",
      comment: "lib/ is plain TypeScript under the app: it never imports app/ or components/.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-are-ui",
      comment: "components/ is shared UI: it takes server actions as props and never imports app/; a component that serves one page lives beside it (app/…/_components/).",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "no-circular",
      comment: "No two modules import each other, directly or through others.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["\\.test\\.tsx?$", "^lib/generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
