import { WorkflowSpecSchema } from '@ketrew/edsl';
import { z } from 'zod';
import { STATUS_OF_CODE } from '../errors.js';
import { SERVER_VERSION } from '../version.js';
import { API_ROUTES, type ApiRoute } from './api-routes.js';
import { componentSchemas } from './json-schema-components.js';
import { KillRequestSchema, RestartRequestSchema } from './request-schemas.js';
import * as res from './response-schemas.js';

const RESPONSE_SCHEMAS = {
  Error: res.ErrorBodySchema,
  Hello: res.HelloResponseSchema,
  SubmitResponse: res.SubmitResponseSchema,
  NodeList: res.NodeListResponseSchema,
  NodeCounts: res.NodeCountsResponseSchema,
  NodeDetail: res.NodeDetailResponseSchema,
  Logs: res.LogsResponseSchema,
  Queries: res.QueriesResponseSchema,
  QueryResult: res.QueryResultResponseSchema,
  CommandResponse: res.CommandResponseSchema,
  Status: res.StatusResponseSchema,
  Notifications: res.NotificationsResponseSchema,
  ChangeEvent: res.ChangeEventSchema,
};

const REQUEST_SCHEMAS = {
  WorkflowSpec: WorkflowSpecSchema,
  KillRequest: KillRequestSchema,
  RestartRequest: RestartRequestSchema,
};

let cached: object | null = null;

/**
 * The OpenAPI 3.1 description of the API, generated from the zod schemas the routes parse their
 * input with and the response schemas the tests check their output against.
 */
export function openApiDocument(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const schemas = {
    ...componentSchemas(RESPONSE_SCHEMAS, { io: 'output', sharedPrefix: 'Shared' }),
    ...componentSchemas(REQUEST_SCHEMAS, { io: 'input', sharedPrefix: 'InputShared' }),
  };
  const paths: Record<string, Record<string, object>> = {};
  for (const route of API_ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ketrew API',
      version: SERVER_VERSION,
      description:
        'The JSON API of a Ketrew server. Errors are `{error: {code, message, details}}`. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { tokenQuery: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        tokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
      },
    },
  };
}

function operation(route: ApiRoute): object {
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...queryParameters(route.query),
  ];
  const responses: Record<string, object> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    responses[status] = {
      description: typeof answer === 'string' ? answer : answer.mediaType,
      content:
        typeof answer === 'string'
          ? { 'application/json': { schema: { $ref: `#/components/schemas/${answer}` } } }
          : { [answer.mediaType]: {} },
    };
  }
  for (const code of route.errors) {
    const status = String(STATUS_OF_CODE[code]);
    const existing = responses[status] as { description: string } | undefined;
    responses[status] = {
      description: existing === undefined ? code : `${existing.description}, ${code}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    summary: route.summary,
    description:
      route.scope === null
        ? 'No authentication.'
        : `Scope: \`${route.scope}\`${route.changesState === true ? '; refused in read-only mode' : ''}.`,
    ...(route.scope === null ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } },
            },
          },
        }),
    responses,
  };
}

function queryParameters(schema: z.ZodObject | undefined): object[] {
  if (schema === undefined) return [];
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}
