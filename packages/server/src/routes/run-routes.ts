import type { Hono } from 'hono';
import { integerParameter, parseQuery } from '../api/parse-input.js';
import { LogsQuerySchema, RunQuerySchema } from '../api/request-schemas.js';
import type { AppEnv, ServerContext } from '../server-context.js';
import { findNodeRun } from './node-lookup.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** GET /nodes/:id/logs, /nodes/:id/queries and /nodes/:id/queries/:name, through the backend. */
export function registerRunRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get('/api/v1/nodes/:id/logs', async (c) => {
    const query = parseQuery(c, LogsQuerySchema);
    const offset = integerParameter(query.offset, 'offset', 0, MAX) ?? 0;
    const length = integerParameter(query.length, 'length', 1, MAX);
    const attempt = integerParameter(query.attempt, 'attempt', 1, MAX);
    const found = await findNodeRun(context, c.req.param('id'), attempt);
    const chunk = await found.backend.logs(found.run, { stream: query.stream, offset, length });
    return c.json({
      nodeId: found.node.id,
      attempt: found.attempt,
      backend: found.backendName,
      stream: query.stream,
      offset,
      nextOffset: chunk.nextOffset,
      content: chunk.content,
    });
  });

  app.get('/api/v1/nodes/:id/queries', async (c) => {
    const query = parseQuery(c, RunQuerySchema);
    const attempt = integerParameter(query.attempt, 'attempt', 1, MAX);
    const found = await findNodeRun(context, c.req.param('id'), attempt);
    const queries = await found.backend.queries(found.run);
    return c.json({
      nodeId: found.node.id,
      attempt: found.attempt,
      backend: found.backendName,
      queries: queries.map((q) => ({ name: q.name, description: q.description })),
    });
  });

  app.get('/api/v1/nodes/:id/queries/:name', async (c) => {
    const query = parseQuery(c, RunQuerySchema);
    const attempt = integerParameter(query.attempt, 'attempt', 1, MAX);
    const found = await findNodeRun(context, c.req.param('id'), attempt);
    const name = c.req.param('name');
    const output = await found.backend.query(found.run, name);
    return c.json({
      nodeId: found.node.id,
      attempt: found.attempt,
      backend: found.backendName,
      name,
      output,
    });
  });
}
