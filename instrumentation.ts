// Runs once when a Next.js server starts: a bad setting stops the app here, naming the variable,
// instead of failing later on the first request that reads it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  env();
}
