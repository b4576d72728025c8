import type { Backend, Store } from '@ketrew/engine';
import type { Authenticator, TokenIdentity } from './auth/authenticator.js';
import type { EngineHandle } from './engine-handle.js';
import type { ChangeFeedHub } from './events/change-feed-hub.js';
import type { NotificationLog } from './events/notification-log.js';
import type { ResolvedServerConfig } from './server-config.js';

/** What every route reads: the injected parts and the server's own state. */
export interface ServerContext {
  readonly store: Store;
  /**
   * `null` in API-only mode: kill and restart go through the store's command queue. Set once
   * when an API-only server is promoted (`KetrewServer.promote`).
   */
  engine: EngineHandle | null;
  readonly backends: ReadonlyMap<string, Backend>;
  readonly auth: Authenticator;
  readonly config: ResolvedServerConfig;
  readonly now: () => number;
  readonly startedAt: number;
  readonly hub: ChangeFeedHub;
  readonly notifications: NotificationLog;
  /** Aborted when the server starts shutting down (ends the event streams). */
  readonly shutdown: AbortSignal;
}

/** The hono environment of the app: the authenticated identity of /api/v1 requests. */
export interface AppEnv {
  Variables: { identity: TokenIdentity };
}
