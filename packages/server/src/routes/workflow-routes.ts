import type { Hono } from 'hono';
import { readJson } from '../api/parse-input.js';
import { validateWorkflow } from '../api/workflow-validation.js';
import { requireScope } from '../auth/auth-middleware.js';
import { ServerError } from '../errors.js';
import type { AppEnv, ServerContext } from '../server-context.js';

/**
 * POST /workflows (scope `submit`, refused in read-only mode): validate the whole workflow,
 * then hand it to the engine, which stores all of it or nothing. Any problem → 400 with every
 * problem as `{pointer, message}` in `details.errors`, and nothing stored.
 */
export function registerWorkflowRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  app.post(
    '/api/v1/workflows',
    requireScope(context, 'submit', { changesState: true }),
    async (c) => {
      const json = await readJson(c);
      const validation = validateWorkflow(json, context.backends);
      if (!validation.ok) {
        throw new ServerError(validation.code, validation.message, {
          details: { errors: validation.errors },
        });
      }
      if (context.engine === null) {
        throw new ServerError(
          'engine-unavailable',
          'this server runs in API-only mode (another server holds the engine lock); submit to the engine leader',
        );
      }
      const result = await context.engine.submit(validation.spec);
      context.hub.poke();
      context.notifications.add({
        time: context.now(),
        level: 'info',
        message: `${c.get('identity').name} submitted workflow ${result.workflowId} (${result.nodeIds.length} nodes)`,
        nodeId: validation.spec.root,
      });
      return c.json(
        {
          workflowId: result.workflowId,
          rootId: validation.spec.root,
          nodeIds: result.nodeIds,
          merged: result.merged ?? {},
        },
        201,
      );
    },
  );
}
