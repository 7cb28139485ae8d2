import type * as Client from "../../packages/client/src/types";
import type { z } from "zod";
import type { DeviceListResponse, PhoneLookupResponse, TokenResponse, userByUsernameResponseSchema } from "./schemas";
import type { KeyBundleResponse, KeyStatusResponse, KeyUploadRequest } from "../keys/formats";

// The client package writes its own copies of the API's types (ADR 0049). Each line below
// only type-checks while a copy equals the type of the zod schema lib/openapi.ts documents, so
// `npm test` (tsc --noEmit) fails the moment the two drift apart.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const clientTypesMatchTheSchemas: [
  Equal<Client.TokenResponse, TokenResponse>,
  Equal<Client.DeviceListResponse, DeviceListResponse>,
  Equal<Client.KeyUploadRequest, KeyUploadRequest>,
  Equal<Client.KeyStatusResponse, KeyStatusResponse>,
  Equal<Client.KeyBundleResponse, KeyBundleResponse>,
  Equal<Client.UserIdResponse, z.input<typeof userByUsernameResponseSchema>>,
  Equal<Client.PhoneLookupResponse, PhoneLookupResponse>,
] = [true, true, true, true, true, true, true];
