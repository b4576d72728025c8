import { HostSchema, type Host } from '@ketrew/edsl';
import { BackendError, type RunState } from '@ketrew/engine';

export type DaemonizeMode = 'nohup-setsid' | 'python-daemon';

/**
 * What the daemonize backend stores for a run: plain JSON, everything needed to poll, kill and
 * read the logs of the job from any process (docs/daemonize.md). A type, not an interface, so
 * that it is assignable to the engine's `RunState`.
 */
export type DaemonizeRunState = {
  readonly backend: 'daemonize';
  /** Layout version of this object. */
  readonly version: 1;
  readonly host: Host;
  /** Absolute path of the run's playground on `host`. */
  readonly playground: string;
  /** Pid of the monitored script, which leads its own process group (pgid = pid). */
  readonly pid: number;
  readonly jobName: string;
  /** Epoch ms when the backend saw the pid file. */
  readonly startedAt: number;
  readonly using: DaemonizeMode;
};

/**
 * Run states already checked, by object: the engine hands back the same frozen object at every
 * poll, and checking the host with its schema is most of a poll's CPU per run. Only frozen
 * objects are remembered (one that may change is checked each time).
 */
const checked = new WeakMap<RunState, DaemonizeRunState>();

/** Check a stored run state (the engine hands back whatever it stored); fatal error if not ours. */
export function parseDaemonizeRunState(run: RunState): DaemonizeRunState {
  const known = checked.get(run);
  if (known !== undefined) return known;
  const state = checkRunState(run);
  if (Object.isFrozen(run) && Object.isFrozen(run.host)) checked.set(run, state);
  return state;
}

function checkRunState(run: RunState): DaemonizeRunState {
  const problems: string[] = [];
  const host = HostSchema.safeParse(run.host);
  if (!host.success) problems.push('host is not a valid host');
  if (run.backend !== 'daemonize') problems.push('backend is not "daemonize"');
  if (run.version !== 1) problems.push(`unknown version ${JSON.stringify(run.version)}`);
  if (typeof run.playground !== 'string' || !run.playground.startsWith('/')) {
    problems.push('playground is not an absolute path');
  }
  if (typeof run.pid !== 'number' || !Number.isInteger(run.pid) || run.pid < 2) {
    problems.push('pid is not an integer ≥ 2');
  }
  if (typeof run.jobName !== 'string') problems.push('jobName is not a string');
  if (typeof run.startedAt !== 'number') problems.push('startedAt is not a number');
  if (run.using !== 'nohup-setsid' && run.using !== 'python-daemon') {
    problems.push('using is not "nohup-setsid" or "python-daemon"');
  }
  if (problems.length > 0 || !host.success) {
    throw new BackendError(`not a daemonize run state: ${problems.join('; ')}`, {
      recoverable: false,
      details: { problems },
    });
  }
  return { ...(run as unknown as DaemonizeRunState), host: host.data };
}
