import { describe, expect, it } from 'vitest';
import { transition } from './transition.js';
import type { NodeEvent, Phase } from './events.js';
import type { EngineNode } from './engine-node.js';
import type { NodeState } from './node-state.js';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from './core-config.js';
import { CONDITION, DAEMONIZE, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const T = T0 + 5_000;
const RUN = { pid: 7 };
const config: CoreConfig = { ...DEFAULT_CORE_CONFIG, maximumSuccessiveAttempts: 3 };
const nodeSpec = spec({ id: 'n', condition: CONDITION, make: DAEMONIZE, onFailureActivate: ['f'] });

function failed(phase: Phase, recoverable: boolean, time = T): NodeEvent {
  return { kind: 'backend-failed', phase, recoverable, message: 'ssh: timeout', time };
}

const cases: readonly { phase: Phase; state: NodeState }[] = [
  { phase: 'condition', state: { kind: 'active', by: { kind: 'user' } } },
  { phase: 'condition', state: { kind: 'ran-successfully', jobName: 'j', run: RUN } },
  { phase: 'condition', state: { kind: 'did-nothing' } },
  { phase: 'start', state: { kind: 'starting', jobName: 'j' } },
  { phase: 'kill', state: { kind: 'killing', jobName: 'j', run: RUN, reason: { kind: 'killed' } } },
];

describe('recoverable errors', () => {
  it.each(cases)(
    '$phase in $state.kind: counted, phase retried after the backoff',
    ({ phase, state }) => {
      const node = nodeIn(nodeSpec, state, { successiveErrors: 1 });
      const result = transition(node, failed(phase, true), config);
      expect(result.node.state).toBe(state);
      expect(result.node.successiveErrors).toBe(2);
      // n = 2 → base · 2^(2-1)
      expect(result.commands).toEqual([
        { kind: 'wake-up', at: T + 2_000, reason: 'retry-phase', attempt: 1 },
      ]);
      expect(result.history).toEqual([
        {
          nodeId: 'n',
          attempt: 1,
          time: T,
          state,
          message: `recoverable ${phase} error 2/3, retrying: ssh: timeout`,
        },
      ]);
    },
  );

  it('a poll error is counted without a wake-up (the next poll retries)', () => {
    const node = nodeIn(nodeSpec, { kind: 'running', jobName: 'j', run: RUN, since: T0 });
    const result = transition(node, failed('poll', true), config);
    expect(result.node.successiveErrors).toBe(1);
    expect(result.commands).toEqual([]);
    expect(result.node.state).toBe(node.state);
  });

  it('the backoff is capped', () => {
    const node = nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' }, { successiveErrors: 8 });
    const result = transition(node, failed('start', true));
    expect(result.commands).toEqual([
      { kind: 'wake-up', at: T + 60_000, reason: 'retry-phase', attempt: 1 },
    ]);
  });

  it('an error of another phase than the state is stale', () => {
    const node = nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' });
    const result = transition(node, failed('poll', true));
    expect(result.node).toBe(node);
    expect(result.commands).toEqual([]);
  });
});

describe('fatal errors, and recoverable ones past the maximum', () => {
  const finishedFrom = (result: { node: EngineNode }): unknown => result.node.state;

  it('the maximum-th recoverable poll error in a row fails the running node', () => {
    let node = nodeIn(nodeSpec, { kind: 'running', jobName: 'j', run: RUN, since: T0 });
    node = transition(node, failed('poll', true), config).node;
    node = transition(node, failed('poll', true), config).node;
    expect(node.state.kind).toBe('running');
    const result = transition(node, failed('poll', true), config);
    expect(finishedFrom(result)).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: {
        kind: 'backend-error',
        message: 'ssh: timeout (gave up after 3 recoverable errors in a row)',
      },
      from: 'failed-running',
    });
  });

  it('turnRecoverableIntoFailure makes the first recoverable error fatal', () => {
    const node = nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' });
    const result = transition(node, failed('start', true), {
      ...config,
      turnRecoverableIntoFailure: true,
    });
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: { kind: 'start-failed', message: 'ssh: timeout' },
      from: 'failed-to-start',
    });
  });

  const killRun = { kind: 'kill', jobName: 'j', run: RUN } as const;
  it.each([
    [
      { kind: 'active', by: { kind: 'user' } },
      'condition',
      'failed-to-eval-condition',
      { kind: 'backend-error', message: 'ssh: timeout' },
      [],
    ],
    [
      { kind: 'did-nothing' },
      'condition',
      'failed-to-eval-condition',
      { kind: 'backend-error', message: 'ssh: timeout' },
      [],
    ],
    [
      { kind: 'starting', jobName: 'j' },
      'start',
      'failed-to-start',
      { kind: 'start-failed', message: 'ssh: timeout' },
      [],
    ],
    [
      { kind: 'running', jobName: 'j', run: RUN, since: T0 },
      'poll',
      'failed-running',
      { kind: 'backend-error', message: 'ssh: timeout' },
      // The job may still be running: it is killed before the node fails.
      [killRun],
    ],
  ] as const)('in %j a fatal %s error → %s', (state, phase, from, reason, first) => {
    const result = transition(nodeIn(nodeSpec, state), failed(phase, false));
    expect(result.node.state).toEqual({ kind: 'finished', outcome: 'failed', reason, from });
    expect(result.node.successiveErrors).toBe(0);
    expect(result.commands).toEqual([
      ...first,
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
  });

  it('gives up polling after the maximum of recoverable errors: kills the run, then fails', () => {
    const running = { kind: 'running', jobName: 'j', run: RUN, since: T0 } as const;
    const node = nodeIn(nodeSpec, running, { successiveErrors: 2 });
    const result = transition(node, failed('poll', true), config);
    expect(result.node.state.kind).toBe('finished');
    expect(result.commands).toEqual([
      killRun,
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
  });

  it('a fatal poll error of a node that will be retried: kills the run, then waits', () => {
    const retried = spec({
      ...nodeSpec,
      retry: { attempts: 3, on: ['backend-error'], backoff: { initial: 1, factor: 2, max: 10 } },
    });
    const running = { kind: 'running', jobName: 'j', run: RUN, since: T0 } as const;
    const result = transition(nodeIn(retried, running), failed('poll', false));
    expect(result.node.state).toEqual({
      kind: 'failed-running',
      reason: { kind: 'backend-error', message: 'ssh: timeout' },
      run: RUN,
      nextAttemptAt: T + 1_000,
    });
    expect(result.commands).toEqual([
      killRun,
      { kind: 'wake-up', at: T + 1_000, reason: 'next-attempt', attempt: 1 },
    ]);
    // The kill's answers find the node failed, and change nothing.
    expect(transition(result.node, { kind: 'kill-succeeded', time: T + 1 }).node).toBe(result.node);
    expect(transition(result.node, failed('kill', false, T + 1)).node).toBe(result.node);
  });

  it('a fatal kill error: failed-to-kill, never retried, with a warning', () => {
    const retried = spec({
      ...nodeSpec,
      retry: {
        attempts: 5,
        on: ['timeout', 'backend-error'],
        backoff: { initial: 1, factor: 2, max: 10 },
      },
    });
    const state = {
      kind: 'killing',
      jobName: 'j',
      run: RUN,
      reason: { kind: 'timeout', seconds: 9 },
    } as const;
    const result = transition(nodeIn(retried, state), failed('kill', false));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: { kind: 'backend-error', message: 'ssh: timeout' },
      from: 'failed-to-kill',
    });
    expect(result.commands).toEqual([
      {
        kind: 'notify',
        level: 'warning',
        message: 'could not kill j of node n; it may still be running: ssh: timeout',
      },
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
  });
});

describe('retry-phase wake-ups', () => {
  const wake = (attempt = 1): NodeEvent => ({
    kind: 'wake-up',
    reason: 'retry-phase',
    attempt,
    time: T,
  });

  it.each([
    [
      { kind: 'active', by: { kind: 'user' } },
      { kind: 'evaluate-condition', condition: CONDITION },
    ],
    [{ kind: 'did-nothing' }, { kind: 'evaluate-condition', condition: CONDITION }],
    [
      { kind: 'ran-successfully', jobName: 'j', run: RUN },
      { kind: 'evaluate-condition', condition: CONDITION },
    ],
    [
      { kind: 'starting', jobName: 'j' },
      { kind: 'start', jobName: 'j', findFirst: true },
    ],
    [
      { kind: 'killing', jobName: 'j', run: null, reason: { kind: 'killed' } },
      { kind: 'kill', jobName: 'j', run: null },
    ],
  ] as const)('in %j re-issue %j, node unchanged', (state, command) => {
    const node = nodeIn(nodeSpec, state, { successiveErrors: 2 });
    const result = transition(node, wake());
    expect(result.node).toBe(node);
    expect(result.commands).toEqual([command]);
    expect(result.history).toEqual([]);
  });

  it('stale: another attempt, no pending error, or a state without a phase to retry', () => {
    const starting = nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' }, { successiveErrors: 1 });
    expect(transition(starting, wake(2)).commands).toEqual([]);
    expect(transition({ ...starting, successiveErrors: 0 }, wake()).commands).toEqual([]);
    const running = nodeIn(
      nodeSpec,
      { kind: 'running', jobName: 'j', run: RUN, since: T0 },
      { successiveErrors: 1 },
    );
    expect(transition(running, wake()).node).toBe(running);
    expect(transition(running, wake()).commands).toEqual([]);
  });
});
