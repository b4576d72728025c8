import type { Backend, Store } from '@ketrew/engine';
import type { Authenticator } from './auth/authenticator.js';
import type { EngineHandle } from './engine-handle.js';
import { buildApp } from './build-app.js';
import { onEngineEvent } from './engine-event-handler.js';
import { ChangeFeedHub } from './events/change-feed-hub.js';
import { changeFeedPrunerFor } from './events/change-feed-pruner.js';
import { NotificationLog } from './events/notification-log.js';
import { listenWithNode, type RunningServer } from './listen/node-listener.js';
import { resolveServerConfig, type ServerConfig } from './server-config.js';
import type { ServerContext } from './server-context.js';

export interface CreateServerOptions {
  /** Where everything is read from (and, in API-only mode, where kill/restart are queued). */
  readonly store: Store;
  /**
   * The engine this process runs; omit (or `null`) for API-only mode, when another process
   * holds the engine lock: submissions are then refused (503 `engine-unavailable`) and kill and
   * restart are queued in the store for the leader.
   */
  readonly engine?: EngineHandle | null | undefined;
  /** Backends used to read logs and run diagnostics, and to check submitted build processes. */
  readonly backends?: readonly Backend[] | ReadonlyMap<string, Backend> | undefined;
  /** Checks bearer tokens (`createTokenFileAuthenticator`, `createMemoryAuthenticator`). */
  readonly auth: Authenticator;
  readonly config?: ServerConfig | undefined;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** A composed server, not yet listening. */
export interface KetrewServer {
  /** Answer one request without a socket (the hono app's `fetch`). */
  fetch(request: Request): Promise<Response>;
  /**
   * Start the engine (if any), then listen on the configured address (HTTPS with `config.tls`).
   * `close()` stops accepting connections, ends the event streams, lets in-flight requests
   * finish (up to `shutdownTimeoutMs`), then stops the engine, leaving running jobs running.
   */
  listen(): Promise<RunningServer>;
  /** The notifications shown by GET /api/v1/notifications; anything may add to them. */
  readonly notifications: NotificationLog;
  /** Tell the live event streams that the store changed (they also poll it). */
  notifyChange(): void;
  /**
   * Make an API-only server run `engine` from now on (it got the engine lock, see
   * `waitForEngineLock`): the engine is started if the server is listening, and stopped by its
   * `close()`. Throws if the server already has an engine.
   */
  promote(engine: EngineHandle): Promise<void>;
  /** `engine` when this server runs the engine, `api-only` otherwise. */
  readonly mode: 'engine' | 'api-only';
}

/**
 * Compose the Ketrew HTTP server from its parts (DESIGN.md §8, docs/api.md): the JSON API under
 * `/api/v1/` (bearer tokens with scopes), live events, `/hello`, the OpenAPI document and the
 * dashboard's page.
 *
 * @example
 * ```ts
 * const server = createServer({ store, engine, backends: [daemonize], auth, config: { port: 8756 } });
 * const { url, close } = await server.listen();
 * ```
 */
export function createServer(options: CreateServerOptions): KetrewServer {
  const config = resolveServerConfig(options.config);
  const now = options.now ?? Date.now;
  const shutdown = new AbortController();
  const context: ServerContext = {
    store: options.store,
    engine: options.engine ?? null,
    backends: backendMap(options.backends),
    auth: options.auth,
    config,
    now,
    startedAt: now(),
    hub: new ChangeFeedHub(options.store, { pollIntervalMs: config.eventPollIntervalMs }),
    notifications: new NotificationLog(),
    shutdown: shutdown.signal,
  };
  const app = buildApp(context);
  const pruner = changeFeedPrunerFor(options.store, config.changeRetentionMs, {
    now,
    onError: (error) =>
      context.notifications.add({
        time: now(),
        level: 'warning',
        message: `pruning the change feed failed: ${error instanceof Error ? error.message : String(error)}`,
        nodeId: null,
      }),
  });
  let unsubscribe = context.engine?.events?.subscribe((event) => onEngineEvent(context, event));
  let listening = false;
  return {
    fetch: async (request) => app.fetch(request),
    notifications: context.notifications,
    notifyChange: () => context.hub.poke(),
    get mode() {
      return context.engine === null ? 'api-only' : 'engine';
    },
    promote: async (engine) => {
      if (context.engine !== null) throw new Error('this server already runs an engine');
      if (shutdown.signal.aborted) throw new Error('this server was closed');
      if (listening) {
        await engine.start();
        pruner?.start();
      }
      context.engine = engine;
      unsubscribe = engine.events?.subscribe((event) => onEngineEvent(context, event));
      context.notifications.add({
        time: now(),
        level: 'info',
        message: 'this server now runs the engine',
        nodeId: null,
      });
    },
    listen: async () => {
      if (shutdown.signal.aborted) throw new Error('this server was closed; create a new one');
      if (listening) throw new Error('this server is already listening');
      listening = true;
      await context.engine?.start();
      try {
        const running = await listenWithNode({
          fetch: app.fetch,
          config,
          onClosing: () => {
            pruner?.stop();
            shutdown.abort();
            context.hub.close();
          },
          onClosed: async () => {
            await context.engine?.stop();
            unsubscribe?.();
          },
        });
        if (context.engine !== null) pruner?.start();
        return running;
      } catch (error) {
        listening = false;
        await context.engine?.stop();
        throw error;
      }
    },
  };
}

function backendMap(
  backends: readonly Backend[] | ReadonlyMap<string, Backend> | undefined,
): ReadonlyMap<string, Backend> {
  if (backends === undefined) return new Map();
  if (backends instanceof Map) return backends;
  return new Map((backends as readonly Backend[]).map((backend) => [backend.name, backend]));
}
