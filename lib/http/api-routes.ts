// Every route under /api/ and its method, data only. The API's route table (lib/api/endpoints.ts)
// takes each operation's method and path from here, and the request precheck in scripts/server.ts
// answers a method a route does not serve from here (ADR 0035), so the HTTP checks need nothing of
// the API's rules above them (ADR 0059).
export const API_ROUTES = {
  requestCode: { method: "POST", path: "/api/auth/code" },
  exchangeToken: { method: "POST", path: "/api/auth/token" },
  revokeToken: { method: "DELETE", path: "/api/auth/token" },
  uploadKeys: { method: "PUT", path: "/api/keys" },
  countKeys: { method: "GET", path: "/api/keys/count" },
  fetchBundles: { method: "GET", path: "/api/keys/{userId}/{deviceId}" },
  listDevices: { method: "GET", path: "/api/devices" },
  revokeDevice: { method: "DELETE", path: "/api/devices/{deviceId}" },
  findUserByUsername: { method: "GET", path: "/api/users/by-username/{username}" },
  lookUpPhoneNumbers: { method: "POST", path: "/api/users/lookup" },
  openApiDocument: { method: "GET", path: "/api/openapi.json" },
  deleteAccount: { method: "DELETE", path: "/api/account" },
  transparencyCheckpoint: { method: "GET", path: "/api/kt/checkpoint" },
  transparencySearch: { method: "POST", path: "/api/kt/search" },
  transparencyMonitor: { method: "POST", path: "/api/kt/monitor" },
  transparencyKeyList: { method: "GET", path: "/api/kt/keys" },
  transparencyTile: { method: "GET", path: "/api/kt/tile/{...path}" },
  transparencyAudit: { method: "GET", path: "/api/kt/audit/{epoch}" },
  // Served by their own route handlers outside the client API's table.
  health: { method: "GET", path: "/api/health" },
  liveness: { method: "GET", path: "/api/health/live" },
  adminMetrics: { method: "GET", path: "/api/admin/metrics" },
  // next-auth's own routes (sign-in, callbacks, session, csrf, sign-out) at any depth under
  // /api/auth/; after the client API's /api/auth/code and /api/auth/token, which match first.
  nextAuthGet: { method: "GET", path: "/api/auth/{...nextauth}" },
  nextAuthPost: { method: "POST", path: "/api/auth/{...nextauth}" },
} as const;
