import { z } from 'zod';

/*
 * The shapes of requests: bodies and query strings. Routes parse their input with these, and
 * the OpenAPI document is generated from them.
 */

const nodeIds = z.array(z.string().min(1)).min(1).max(10_000);

export const KillRequestSchema = z
  .strictObject({
    ids: nodeIds,
    recursive: z.boolean().default(false).describe('also kill the nodes that depend on them'),
  })
  .meta({ id: 'KillRequest' });

export const RestartRequestSchema = z
  .strictObject({
    ids: nodeIds,
    subtree: z
      .boolean()
      .default(false)
      .describe('also restart the nodes that failed because of them'),
  })
  .meta({ id: 'RestartRequest' });

const time = z.string().describe('epoch milliseconds or an ISO 8601 date').optional();
const list = (what: string) =>
  z.string().describe(`${what}; comma-separated or repeated`).optional();

/** Query of GET /nodes and GET /nodes/counts (every parameter optional, all ANDed). */
export const NodeQuerySchema = z.strictObject({
  filter: z
    .string()
    .describe('an expression of the filter language, e.g. `(and (is-failed) (tags "x"))`')
    .optional(),
  status: list('simple statuses: activable, in-progress, successful, failed'),
  state: list('node states, e.g. running, failed-running'),
  tag: z.string().describe('a tag the node has; repeat for several (all required)').optional(),
  name: z.string().describe('case-insensitive substring of the name').optional(),
  id: z.string().describe('id prefix').optional(),
  workflow: z.string().describe('workflow id').optional(),
  activatedByUser: z.enum(['true', 'false']).optional(),
  createdAfter: time,
  createdBefore: time,
  updatedAfter: time,
  updatedBefore: time,
});

export const PageQuerySchema = z.strictObject({
  limit: z.string().regex(/^\d+$/).describe('page size, 1 to 1000; default 100').optional(),
  after: z.string().describe('the `next` cursor of the previous page').optional(),
});

export const NodeDetailQuerySchema = z.strictObject({
  attempt: z.string().regex(/^\d+$/).describe("only this attempt's history").optional(),
});

export const LogsQuerySchema = z.strictObject({
  stream: z.enum(['stdout', 'stderr', 'log', 'script']).default('stdout'),
  offset: z.string().regex(/^\d+$/).describe('byte offset; default 0').optional(),
  length: z.string().regex(/^\d+$/).describe('at most this many bytes').optional(),
  attempt: z.string().regex(/^\d+$/).describe('default: the latest attempt with a job').optional(),
});

export const RunQuerySchema = z.strictObject({
  attempt: z.string().regex(/^\d+$/).describe('default: the latest attempt with a job').optional(),
});

export const EventsQuerySchema = z.strictObject({
  since: z
    .string()
    .regex(/^\d+$/)
    .describe('send changes after this cursor (a `Last-Event-ID` header wins); default: now')
    .optional(),
  token: z
    .string()
    .describe('the bearer token, for EventSource which cannot set headers')
    .optional(),
});

export const NotificationsQuerySchema = z.strictObject({
  since: z.string().regex(/^\d+$/).describe('only notifications with a greater id').optional(),
});
