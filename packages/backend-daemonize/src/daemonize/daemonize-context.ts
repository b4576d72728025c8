import type { Host } from '@ketrew/edsl';
import {
  BackendError,
  isRecoverable,
  type Transport,
  type TransportProvider,
} from '@ketrew/engine';
import type { EndNotifier } from './end-notifier.js';
import type { LocalLaunchers } from './local-launchers.js';
import type { PidWaits } from './pid-waits.js';
import type { RecentSet } from './recent-set.js';

/** What the parts of the daemonize backend share: resolved options, transports, local helpers. */
export interface DaemonizeContext {
  readonly transports: TransportProvider;
  /** Playground root for hosts whose `playground` is `null`. */
  readonly defaultPlayground: string;
  readonly killGracePeriodMs: number;
  /** Timeout of each command the backend runs on a host (ps, kill, the launcher). */
  readonly commandTimeoutMs: number;
  /** Least time between two `ps` of one machine while polling (lost-job detection). */
  readonly livenessCheckIntervalMs: number;
  /** Where local jobs announce their end; `null`: no push, logs are read at every poll. */
  readonly notifier: EndNotifier | null;
  /** Persistent launchers of local jobs; `null`: one transport command per start. */
  readonly launchers: LocalLaunchers | null;
  /** When each machine (by connection) last had its `ps` while polling, epoch ms. */
  readonly livenessChecks: Map<string, number>;
  /**
   * Runs recently seen ended (by machine and playground): a later poll of one reads its log
   * again rather than answer `running` until the next liveness check.
   */
  readonly endedRuns: RecentSet;
  /** How long pids take to appear, per machine: when a start first looks at the pid file. */
  readonly pidWaits: PidWaits;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Timeout of a command the backend runs on `host`: the host's own `timeout`, else the default. */
export function commandTimeoutMs(context: DaemonizeContext, host: Host): number {
  return host.timeout === null ? context.commandTimeoutMs : host.timeout * 1000;
}

/** The transport of a host; a provider that throws gives a BackendError of the same kind. */
export function transportOf(context: DaemonizeContext, host: Host): Transport {
  try {
    return context.transports(host);
  } catch (error) {
    throw backendError(`cannot reach host ${host.name}`, error);
  }
}

/**
 * A `BackendError` that says what the backend was doing, keeping the recoverability of the
 * transport's error (a dropped SSH connection is worth a retry; a permission error is not).
 */
export function backendError(
  doing: string,
  cause: unknown,
  details: Record<string, unknown> = {},
): BackendError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new BackendError(`daemonize: ${doing}: ${why}`, {
    recoverable: isRecoverable(cause),
    cause,
    details,
  });
}

/** Run `action`, turning any error into a `backendError` about `doing`. */
export async function doing<T>(
  what: string,
  action: () => Promise<T>,
  details: Record<string, unknown> = {},
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof BackendError) throw error;
    throw backendError(what, error, details);
  }
}
