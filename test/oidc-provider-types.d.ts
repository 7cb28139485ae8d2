// The little of oidc-provider 9 (untyped; @types/oidc-provider lags its majors) that
// test/oidc-provider.ts uses.
declare module "oidc-provider" {
  import type { IncomingMessage, Server, ServerResponse } from "node:http";

  type Account = { accountId: string; claims: () => Record<string, unknown> };

  export default class Provider {
    constructor(
      issuer: string,
      configuration: {
        clients: Record<string, unknown>[];
        findAccount: (context: unknown, sub: string) => Account | Promise<Account>;
        claims: Record<string, string[]>;
        conformIdTokenClaims: boolean;
        pkce: { required: () => boolean };
        cookies: { keys: string[] };
      },
    );
    listen(port: number): Server;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }
}
