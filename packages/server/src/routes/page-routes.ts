import type { Hono } from 'hono';
import type { AppEnv } from '../server-context.js';
import { SERVER_VERSION } from '../version.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Ketrew</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Ketrew</h1>
<p>This Ketrew server (version ${SERVER_VERSION}) is running.</p>
<p>The web dashboard will be served here. Meanwhile, use the <code>ketrew</code> command line or the
JSON API under <code>/api/v1/</code> (described by <code>/api/v1/openapi.json</code>).</p>
</body>
</html>
`;

/** GET / and GET /gui: a placeholder page until the dashboard (apps/web) is served here. */
export function registerPageRoutes(app: Hono<AppEnv>): void {
  app.get('/', (c) => c.html(PAGE));
  app.get('/gui', (c) => c.html(PAGE));
}
