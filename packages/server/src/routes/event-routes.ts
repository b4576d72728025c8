import type { Hono } from 'hono';
import { integerParameter, parseQuery } from '../api/parse-input.js';
import { EventsQuerySchema } from '../api/request-schemas.js';
import { changeEventStream, toEventStream } from '../events/change-event-stream.js';
import type { AppEnv, ServerContext } from '../server-context.js';

/**
 * GET /api/v1/events: the store's change feed as Server-Sent Events (see `changeEventStream`).
 * Resumes after `Last-Event-ID` if the client sends one, else after `?since=`, else from now.
 */
export function registerEventRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get('/api/v1/events', (c) => {
    const query = parseQuery(c, EventsQuerySchema);
    const lastEventId = c.req.header('last-event-id');
    const since =
      integerParameter(
        lastEventId?.trim() || undefined,
        'Last-Event-ID',
        0,
        Number.MAX_SAFE_INTEGER,
      ) ??
      integerParameter(query.since, 'since', 0, Number.MAX_SAFE_INTEGER) ??
      null;
    const stop = new AbortController();
    const end = (): void => stop.abort();
    context.shutdown.addEventListener('abort', end, { once: true });
    c.req.raw.signal.addEventListener('abort', end, { once: true });
    const events = changeEventStream({
      store: context.store,
      hub: context.hub,
      since,
      heartbeatIntervalMs: context.config.heartbeatIntervalMs,
      signal: stop.signal,
    });
    const body = toEventStream(events, () => {
      end();
      context.shutdown.removeEventListener('abort', end);
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    });
  });
}
