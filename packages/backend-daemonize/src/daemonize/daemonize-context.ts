import type { Host } from '@ketrew/edsl';
import {
  BackendError,
  isRecoverable,
  type Transport,
  type TransportProvider,
} from '@ketrew/engine';

/** What the parts of the daemonize backend share: resolved options and the transports. */
export interface DaemonizeContext {
  readonly transports: TransportProvider;
  /** Playground root for hosts whose `playground` is `null`. */
  readonly defaultPlayground: string;
  readonly killGracePeriodMs: number;
  /** Timeout of each command the backend runs on a host (ps, kill, the launcher). */
  readonly commandTimeoutMs: number;
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
