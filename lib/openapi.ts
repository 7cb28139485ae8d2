import { z } from "zod";
import type { Endpoint } from "./api/endpoint";
import { endpoints } from "./api/endpoints";
import { apiErrorSchema } from "./api/responses";

// The OpenAPI 3.1 document of the messaging-client API, generated from the endpoint definitions
// and the zod schemas the route handlers validate with: nothing here is written beside them.

type JsonSchema = Record<string, unknown>;

const ERROR_STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  422: "Unprocessable",
  429: "Too many requests",
  500: "Server fault",
};

/**
 * Converts one zod schema; schemas carrying `.meta({id})` become shared components. Request bodies
 * are converted as input (what a client sends: base64 strings), responses as output.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "throw" }) as JsonSchema;
    // The document declares the dialect once (jsonSchemaDialect), so each schema drops its $schema.
    const root = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
    const $defs = root.$defs as Record<string, JsonSchema> | undefined;
    delete root.$schema;
    delete root.$defs;
    for (const [id, definition] of Object.entries($defs ?? {})) this.addComponent(id, definition);
    return root;
  }

  private addComponent(id: string, definition: JsonSchema): void {
    const existing = this.components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`Schema id "${id}" names two different schemas (an input and an output?): give them distinct ids.`);
    }
    this.components[id] = definition;
  }
}

function operation(endpoint: Endpoint, schemas: SchemaCollector) {
  const parameters = Object.entries(endpoint.params?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: "path",
    required: true,
    schema: schemas.convert(schema as z.ZodType, "input"),
  }));
  const errorContent = { "application/json": { schema: schemas.convert(apiErrorSchema, "output") } };
  const errors = { ...endpoint.errors, 500: "A fault on the server; the message carries a request id for the logs." };
  const responses: Record<string, unknown> = {
    [endpoint.success.status]: {
      description: endpoint.success.description,
      ...(endpoint.success.contentType
        ? { content: { [endpoint.success.contentType]: { schema: { type: "string" } } } }
        : endpoint.success.schema
          ? { content: { "application/json": { schema: schemas.convert(endpoint.success.schema, "output") } } }
          : {}),
    },
  };
  for (const [status, when] of Object.entries(errors)) {
    responses[status] = {
      description: `${ERROR_STATUS_TEXT[Number(status)]}: ${when}`,
      content: errorContent,
      ...(status === "429"
        ? { headers: { "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } } } }
        : {}),
    };
  }
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    security: endpoint.auth === "bearer" ? [{ bearerToken: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body
      ? { requestBody: { required: true, content: { "application/json": { schema: schemas.convert(endpoint.body, "input") } } } }
      : {}),
    responses,
  };
}

function buildDocument() {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(endpoint, schemas);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Latchkey messaging-client API",
      version: "1.0.0",
      description:
        "Sign in a messaging client, publish its Signal-protocol keys and fetch other users' prekey bundles. " +
        "Binary values are standard base64 (padding optional on input). Errors are `{\"error\": {\"code\", \"message\"}}`.",
    },
    paths,
    components: {
      schemas: schemas.components,
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description: "The token from POST /api/auth/token, as `Authorization: Bearer <token>`.",
        },
      },
    },
  };
}

type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;

/** The document, built once per process (it only depends on code). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}
