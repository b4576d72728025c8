import { BackendError, type RunState } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { parseDaemonizeRunState } from './daemonize-run-state.js';

function runState(pid: unknown): RunState {
  return {
    backend: 'daemonize',
    version: 1,
    host: {
      name: 'localhost',
      connection: { kind: 'localhost' },
      playground: null,
      shell: ['sh', '-c'],
      timeout: null,
    },
    playground: '/tmp/ketrew/n1/1',
    pid,
    jobName: 'ketrew-n1-a1',
    startedAt: 1,
    using: 'nohup-setsid',
  } as RunState;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('parseDaemonizeRunState', () => {
  it('accepts a daemonize run state, frozen or not, and gives the same answer again', () => {
    const frozen = deepFreeze(runState(42));
    expect(parseDaemonizeRunState(frozen)).toMatchObject({ pid: 42, jobName: 'ketrew-n1-a1' });
    expect(parseDaemonizeRunState(frozen)).toBe(parseDaemonizeRunState(frozen)); // remembered
    expect(parseDaemonizeRunState(runState(43)).pid).toBe(43);
  });

  it('checks again a run state that may have changed since (not frozen)', () => {
    const run = runState(42) as Record<string, unknown>;
    expect(parseDaemonizeRunState(run as RunState).pid).toBe(42);
    run.pid = 1;
    expect(() => parseDaemonizeRunState(run as RunState)).toThrow(BackendError);
    expect(() => parseDaemonizeRunState(run as RunState)).toThrow(/pid is not an integer/);
  });

  it('refuses a frozen foreign run state every time', () => {
    const foreign = deepFreeze({ ...runState(42), backend: 'lsf' });
    expect(() => parseDaemonizeRunState(foreign)).toThrow(/backend is not "daemonize"/);
    expect(() => parseDaemonizeRunState(foreign)).toThrow(/backend is not "daemonize"/);
  });
});
