import { BackendError, KetrewError } from '../errors.js';
import type { Backend, PollOutcome } from '../ports/backend.js';
import { PortLifecycle } from './port-lifecycle.js';

const GUARDED = Symbol.for('ketrew.guarded-backend');

/**
 * Wrap a backend so that it keeps the shared parts of the `Backend` contract: errors that are not
 * Ketrew errors become fatal `BackendError`s naming the backend and the call, `poll` answers one
 * outcome per run (a wrong count is a fatal error), `close()` runs once (after the calls in flight
 * settle) and every call after it throws `ClosedError`. The optional `watchActivity` is forwarded
 * (refused after close). Guarding twice is a no-op.
 *
 * @example
 * const backends = [guardBackend(new DaemonizeBackend({ transports }))];
 */
export function guardBackend(backend: Backend): Backend {
  if (GUARDED in backend) return backend;
  const name = backend.name;
  const life = new PortLifecycle(`backend ${name}`, { needsInit: false });
  // One error mapper per kind of call, made once: a call costs one promise over the plugin's.
  const failures = new Map<string, (error: unknown) => never>();
  const call = <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    let fail = failures.get(what);
    if (fail === undefined) {
      fail = failureOf(name, what);
      failures.set(what, fail);
    }
    return life.use(fn, fail);
  };
  const guarded: Backend & { readonly [GUARDED]: true } = {
    [GUARDED]: true,
    name,
    start: (ctx) => call('start', () => backend.start(ctx)),
    poll: (runs) =>
      call('poll', async () => {
        const outcomes: readonly PollOutcome[] = await backend.poll(runs);
        if (outcomes.length !== runs.length) {
          throw new BackendError(
            `backend ${name}: poll returned ${outcomes.length} outcomes for ${runs.length} runs`,
            { recoverable: false },
          );
        }
        return outcomes;
      }),
    kill: (run) => call('kill', () => backend.kill(run)),
    find: (jobName, make, node) => call('find', () => backend.find(jobName, make, node)),
    logs: (run, options) => call('logs', () => backend.logs(run, options)),
    queries: (run) => call('queries', () => backend.queries(run)),
    query: (run, queryName) => call('query', () => backend.query(run, queryName)),
    validate: (make) => {
      life.assertReady();
      return backend.validate === undefined ? [] : backend.validate(make);
    },
    close: () =>
      life.close(async () => {
        await backend.close?.();
      }),
  };
  const watchActivity = backend.watchActivity?.bind(backend);
  if (watchActivity !== undefined) {
    // The optional push: forwarded as it is (a subscription, not a call to count or map).
    guarded.watchActivity = (onActivity) => {
      life.assertReady();
      return watchActivity(onActivity);
    };
  }
  return guarded;
}

/** Ketrew errors pass as they are; anything else becomes a fatal `BackendError`. */
function failureOf(name: string, what: string): (error: unknown) => never {
  return (error: unknown): never => {
    if (error instanceof KetrewError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BackendError(`backend ${name}: ${what} failed: ${message}`, {
      recoverable: false,
      cause: error,
    });
  };
}
