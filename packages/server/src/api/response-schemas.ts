import { NodeSpecSchema } from '@ketrew/edsl';
import { z } from 'zod';
import { SCOPES } from '../auth/scopes.js';
import { SERVER_ERROR_CODES } from '../errors.js';
import { NODE_STATE_KINDS, SIMPLE_STATUSES } from '../filter/node-states.js';

/*
 * The shapes of the API's responses. They describe what the routes return (the OpenAPI
 * document is generated from them) and the tests parse real responses with them, so they
 * cannot drift from the code.
 */

export const ErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(Object.values(SERVER_ERROR_CODES)),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
      stack: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const NodeStateSchema = z
  .looseObject({ kind: z.enum(NODE_STATE_KINDS as [string, ...string[]]) })
  .meta({ id: 'NodeState', description: 'A node state; fields beyond `kind` depend on it.' });

const SimpleStatusSchema = z.enum(SIMPLE_STATUSES);

export const NodeSchema = z
  .strictObject({
    id: z.string(),
    workflowId: z.string(),
    spec: NodeSpecSchema,
    state: NodeStateSchema,
    attempt: z.number().int(),
    successiveErrors: z.number().int(),
    equivalentTo: z.string().nullable(),
    createdAt: z.number().describe('epoch ms'),
    updatedAt: z.number().describe('epoch ms'),
    simpleStatus: SimpleStatusSchema,
  })
  .meta({ id: 'Node' });

export const HistoryEntrySchema = z
  .strictObject({
    nodeId: z.string(),
    attempt: z.number().int(),
    time: z.number(),
    state: NodeStateSchema,
    message: z.string().nullable(),
  })
  .meta({ id: 'HistoryEntry' });

export const NodeListResponseSchema = z.strictObject({
  nodes: z.array(NodeSchema),
  next: z.string().nullable().describe('cursor of the next page (`after`), null on the last'),
  total: z.number().int().describe('how many nodes the filter selects in all'),
});

export const CountsSchema = z.strictObject({
  activable: z.number().int(),
  'in-progress': z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
});

export const NodeCountsResponseSchema = z.strictObject({
  counts: CountsSchema,
  total: z.number().int(),
});

const ids = z.array(z.string());

export const NodeDetailResponseSchema = z.strictObject({
  node: NodeSchema,
  history: z.array(HistoryEntrySchema),
  edges: z.strictObject({
    dependsOn: ids,
    onSuccessActivate: ids,
    onFailureActivate: ids,
    dependedOnBy: ids.describe('nodes that depend on this one'),
    activatedOnSuccessOf: ids.describe('nodes this one activates when it succeeds… reversed'),
    activatedOnFailureOf: ids,
  }),
});

export const LogsResponseSchema = z.strictObject({
  nodeId: z.string(),
  attempt: z.number().int(),
  backend: z.string(),
  stream: z.enum(['stdout', 'stderr', 'log', 'script']),
  offset: z.number().int(),
  nextOffset: z.number().int(),
  content: z.string(),
});

export const QueriesResponseSchema = z.strictObject({
  nodeId: z.string(),
  attempt: z.number().int(),
  backend: z.string(),
  queries: z.array(z.strictObject({ name: z.string(), description: z.string() })),
});

export const QueryResultResponseSchema = z.strictObject({
  nodeId: z.string(),
  attempt: z.number().int(),
  backend: z.string(),
  name: z.string(),
  output: z.string(),
});

export const SubmitResponseSchema = z.strictObject({
  workflowId: z.string(),
  rootId: z.string(),
  nodeIds: ids,
  merged: z
    .record(z.string(), z.string())
    .describe('new nodes merged into equivalent existing ones: new id → existing id'),
});

export const CommandResponseSchema = z.strictObject({
  ids,
  via: z
    .enum(['engine', 'queue'])
    .describe('`engine`: done by this server; `queue`: handed to the engine leader'),
  commandId: z.number().int().nullable(),
  result: z.unknown().optional(),
});

export const HelloResponseSchema = z.strictObject({
  ok: z.literal(true),
  name: z.literal('ketrew'),
  version: z.string(),
});

export const StatusResponseSchema = z.strictObject({
  version: z.string(),
  startedAt: z.number(),
  uptimeSeconds: z.number(),
  readOnly: z.boolean(),
  mode: z.enum(['engine', 'api-only']),
  counts: CountsSchema,
  total: z.number().int(),
  engine: z.unknown().describe("the engine's own status, null in API-only mode"),
  you: z.strictObject({ name: z.string(), scopes: z.array(z.enum(SCOPES)) }),
});

export const NotificationSchema = z
  .strictObject({
    id: z.number().int(),
    time: z.number(),
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
    nodeId: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationsResponseSchema = z.strictObject({
  notifications: z.array(NotificationSchema),
  next: z.number().int().describe('pass as `since` to get only newer notifications'),
});

export const ChangeEventSchema = z.strictObject({
  cursor: z.number().int(),
  nodeId: z.string(),
  state: z.enum(NODE_STATE_KINDS as [string, ...string[]]),
  time: z.number(),
});
