import type { Hono } from 'hono';
import { integerParameter, parseQuery } from '../api/parse-input.js';
import { NotificationsQuerySchema } from '../api/request-schemas.js';
import type { AppEnv, ServerContext } from '../server-context.js';
import { SERVER_VERSION } from '../version.js';

/** GET /hello (no auth), GET /api/v1/status and GET /api/v1/notifications. */
export function registerStatusRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.get('/hello', (c) => c.json({ ok: true, name: 'ketrew', version: SERVER_VERSION }));

  app.get('/api/v1/status', async (c) => {
    const counts = await context.store.countByStatus({});
    const now = context.now();
    const identity = c.get('identity');
    return c.json({
      version: SERVER_VERSION,
      startedAt: context.startedAt,
      uptimeSeconds: Math.max(0, (now - context.startedAt) / 1000),
      readOnly: context.config.readOnly,
      mode: context.engine === null ? 'api-only' : 'engine',
      counts,
      total: Object.values(counts).reduce((sum, n) => sum + n, 0),
      engine: context.engine === null ? null : (context.engine.status() ?? null),
      you: { name: identity.name, scopes: identity.scopes },
    });
  });

  app.get('/api/v1/notifications', (c) => {
    const query = parseQuery(c, NotificationsQuerySchema);
    const since = integerParameter(query.since, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    return c.json(context.notifications.since(since));
  });
}
