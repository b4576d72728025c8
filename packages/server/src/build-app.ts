import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { openApiDocument } from './api/openapi-document.js';
import { authenticate } from './auth/auth-middleware.js';
import { ServerError, toErrorResponse } from './errors.js';
import { registerCommandRoutes } from './routes/command-routes.js';
import { registerEventRoutes } from './routes/event-routes.js';
import { registerNodeRoutes } from './routes/node-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import { registerRunRoutes } from './routes/run-routes.js';
import { registerStatusRoutes } from './routes/status-routes.js';
import { registerWorkflowRoutes } from './routes/workflow-routes.js';
import type { AppEnv, ServerContext } from './server-context.js';

/** The hono app: error handling, authentication of /api/v1, body limits, every route. */
export function buildApp(context: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    const { status, body } = toErrorResponse(error, {
      returnErrorStacks: context.config.returnErrorStacks,
    });
    if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="ketrew"');
    return c.json(body, status);
  });
  app.notFound((c) => {
    const error = new ServerError('not-found', `no route ${c.req.method} ${c.req.path}`);
    const { status, body } = toErrorResponse(error, { returnErrorStacks: false });
    return c.json(body, status);
  });
  app.use('*', async (c, next) => {
    if (context.shutdown.aborted) c.header('Connection', 'close');
    await next();
  });
  app.use('/api/v1/*', authenticate(context));
  app.post(
    '/api/v1/*',
    bodyLimit({
      maxSize: context.config.maxBodyBytes,
      onError: () => {
        throw new ServerError(
          'payload-too-large',
          `request bodies are limited to ${context.config.maxBodyBytes} bytes`,
        );
      },
    }),
  );
  registerStatusRoutes(app, context);
  registerWorkflowRoutes(app, context);
  registerNodeRoutes(app, context);
  registerRunRoutes(app, context);
  registerCommandRoutes(app, context);
  registerEventRoutes(app, context);
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));
  registerPageRoutes(app);
  return app;
}
