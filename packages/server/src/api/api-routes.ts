import type { z } from 'zod';
import type { Scope } from '../auth/scopes.js';
import type { ServerErrorCode } from '../errors.js';
import * as req from './request-schemas.js';

/** One route of the API, as the OpenAPI document describes it. */
export interface ApiRoute {
  readonly method: 'get' | 'post';
  /** OpenAPI path, `{param}` style. */
  readonly path: string;
  readonly summary: string;
  /** `null`: no authentication. */
  readonly scope: Scope | null;
  readonly changesState?: boolean;
  readonly query?: z.ZodObject | undefined;
  /** Name of the request body's component schema. */
  readonly body?: string | undefined;
  /** Status → name of the response component, or a media type for non-JSON answers. */
  readonly responses: Readonly<Record<number, string | { readonly mediaType: string }>>;
  readonly errors: readonly ServerErrorCode[];
}

const read: ServerErrorCode[] = ['unauthorized', 'invalid-request'];
const run: ServerErrorCode[] = [
  ...read,
  'not-found',
  'no-run',
  'backend-unavailable',
  'backend-error',
];

/** Every route, with the schemas of its input and output (the source of /api/v1/openapi.json). */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/hello',
    summary: 'Health check (no token needed).',
    scope: null,
    responses: { 200: 'Hello' },
    errors: [],
  },
  {
    method: 'post',
    path: '/api/v1/workflows',
    summary: 'Submit a workflow (the wire format); all of it is stored, or nothing.',
    scope: 'submit',
    changesState: true,
    body: 'WorkflowSpec',
    responses: { 201: 'SubmitResponse' },
    errors: [
      'unauthorized',
      'forbidden',
      'read-only',
      'invalid-json',
      'invalid-workflow',
      'unknown-backend',
      'payload-too-large',
      'engine-unavailable',
    ],
  },
  {
    method: 'get',
    path: '/api/v1/nodes',
    summary: 'List nodes matching query parameters and a filter expression, a page at a time.',
    scope: 'read',
    query: req.NodeQuerySchema.extend(req.PageQuerySchema.shape),
    responses: { 200: 'NodeList' },
    errors: [...read, 'invalid-filter'],
  },
  {
    method: 'get',
    path: '/api/v1/counts',
    summary: 'How many nodes matching the same parameters as GET /nodes have each simple status.',
    scope: 'read',
    query: req.NodeQuerySchema,
    responses: { 200: 'NodeCounts' },
    errors: [...read, 'invalid-filter'],
  },
  {
    method: 'get',
    path: '/api/v1/nodes/{id}',
    summary: 'A node with its history and its edges in both directions.',
    scope: 'read',
    query: req.NodeDetailQuerySchema,
    responses: { 200: 'NodeDetail' },
    errors: [...read, 'not-found'],
  },
  {
    method: 'get',
    path: '/api/v1/nodes/{id}/logs',
    summary: "A slice of one of the node's job outputs, read through its backend.",
    scope: 'read',
    query: req.LogsQuerySchema,
    responses: { 200: 'Logs' },
    errors: run,
  },
  {
    method: 'get',
    path: '/api/v1/nodes/{id}/queries',
    summary: "The backend's diagnostics available for the node's job.",
    scope: 'read',
    query: req.RunQuerySchema,
    responses: { 200: 'Queries' },
    errors: run,
  },
  {
    method: 'get',
    path: '/api/v1/nodes/{id}/queries/{name}',
    summary: "Run one backend diagnostic on the node's job.",
    scope: 'read',
    query: req.RunQuerySchema,
    responses: { 200: 'QueryResult' },
    errors: [...run, 'unsupported-operation'],
  },
  {
    method: 'post',
    path: '/api/v1/nodes/kill',
    summary: 'Kill nodes (and, with `recursive`, what depends on them).',
    scope: 'operate',
    changesState: true,
    body: 'KillRequest',
    responses: { 200: 'CommandResponse', 202: 'CommandResponse' },
    errors: [
      'unauthorized',
      'forbidden',
      'read-only',
      'invalid-json',
      'invalid-request',
      'not-found',
    ],
  },
  {
    method: 'post',
    path: '/api/v1/nodes/restart',
    summary:
      'Restart finished nodes as a new attempt (and, with `subtree`, what failed because of them).',
    scope: 'operate',
    changesState: true,
    body: 'RestartRequest',
    responses: { 200: 'CommandResponse', 202: 'CommandResponse' },
    errors: [
      'unauthorized',
      'forbidden',
      'read-only',
      'invalid-json',
      'invalid-request',
      'not-found',
    ],
  },
  {
    method: 'get',
    path: '/api/v1/status',
    summary: 'Server status: version, uptime, node counts, engine state.',
    scope: 'read',
    responses: { 200: 'Status' },
    errors: ['unauthorized'],
  },
  {
    method: 'get',
    path: '/api/v1/notifications',
    summary: 'Recent notifications, optionally only those after an id.',
    scope: 'read',
    query: req.NotificationsQuerySchema,
    responses: { 200: 'Notifications' },
    errors: read,
  },
  {
    method: 'get',
    path: '/api/v1/events',
    summary:
      'Server-Sent Events of the change feed: `ready`, then `change` events (data: ChangeEvent) with `id` = cursor; resumable with Last-Event-ID or ?since=.',
    scope: 'read',
    query: req.EventsQuerySchema,
    responses: { 200: { mediaType: 'text/event-stream' } },
    errors: read,
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document.',
    scope: 'read',
    responses: { 200: { mediaType: 'application/json' } },
    errors: ['unauthorized'],
  },
];
