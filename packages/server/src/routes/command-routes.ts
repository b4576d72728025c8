import type { UserCommand } from '@ketrew/engine';
import type { Context, Hono } from 'hono';
import { requireScope } from '../auth/auth-middleware.js';
import { parseJsonBody } from '../api/parse-input.js';
import { KillRequestSchema, RestartRequestSchema } from '../api/request-schemas.js';
import { ServerError } from '../errors.js';
import type { AppEnv, ServerContext } from '../server-context.js';

/**
 * POST /nodes/kill and /nodes/restart (scope `operate`, refused in read-only mode). Every id
 * must exist (else 404, nothing done). With an engine, it acts at once (200, `via: 'engine'`);
 * in API-only mode the command is queued in the store for the engine leader (202, `via:
 * 'queue'`).
 */
export function registerCommandRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  const operate = requireScope(context, 'operate', { changesState: true });

  app.post('/api/v1/nodes/kill', operate, async (c) => {
    const body = await parseJsonBody(c, KillRequestSchema);
    return run(c, context, { kind: 'kill', ids: unique(body.ids), recursive: body.recursive });
  });

  app.post('/api/v1/nodes/restart', operate, async (c) => {
    const body = await parseJsonBody(c, RestartRequestSchema);
    return run(c, context, { kind: 'restart', ids: unique(body.ids), subtree: body.subtree });
  });
}

async function run(
  c: Context<AppEnv>,
  context: ServerContext,
  command: UserCommand,
): Promise<Response> {
  const found = await context.store.getNodes(command.ids);
  const known = new Set(found.map((node) => node.id));
  const missing = command.ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new ServerError(
      'not-found',
      `no node with id ${missing.map((id) => `"${id}"`).join(', ')}`,
      {
        details: { missing },
      },
    );
  }
  const identity = c.get('identity');
  const verb = command.kind === 'kill' ? 'kill' : 'restart';
  context.notifications.add({
    time: context.now(),
    level: 'info',
    message: `${identity.name} asked to ${verb} ${command.ids.join(', ')}`,
    nodeId: command.ids.length === 1 ? (command.ids[0] ?? null) : null,
  });
  if (context.engine === null) {
    const commandId = await context.store.enqueueCommand(command, context.now());
    context.hub.poke();
    return c.json({ ids: command.ids, via: 'queue', commandId }, 202);
  }
  const result =
    command.kind === 'kill'
      ? await context.engine.kill(command.ids, { recursive: command.recursive })
      : await context.engine.restart(command.ids, { subtree: command.subtree });
  context.hub.poke();
  return c.json({ ids: command.ids, via: 'engine', commandId: null, result: result ?? null }, 200);
}

function unique(ids: readonly string[]): readonly string[] {
  return [...new Set(ids)];
}
