import type { EngineEvent } from '@ketrew/engine';
import type { ServerContext } from './server-context.js';

/**
 * What the server does with the engine's events: changes wake the live event streams at once;
 * notifications and engine failures go to the notifications list.
 */
export function onEngineEvent(context: ServerContext, event: EngineEvent): void {
  switch (event.kind) {
    case 'nodes-changed':
    case 'workflow-submitted':
      context.hub.poke();
      return;
    case 'notification':
      context.notifications.add({
        time: event.time,
        level: event.level,
        message: event.message,
        nodeId: event.nodeId,
      });
      return;
    case 'engine-failed':
      context.notifications.add({
        time: event.time,
        level: 'error',
        message: `the engine stopped: ${event.message}`,
        nodeId: null,
      });
      return;
    default:
      return unreachable(event);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled engine event ${JSON.stringify(value)}`);
}
