import { describe, expect, it } from 'vitest';
import { transition } from './transition.js';
import type { NodeEvent } from './events.js';
import type { EngineNode } from './engine-node.js';
import { CONDITION, DAEMONIZE, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const T = T0 + 5_000;
const RUN = { pid: 42 };

/** `event` at time T. */
function at<E extends Omit<NodeEvent, 'time'>>(event: E): E & { time: number } {
  return { ...event, time: T };
}

const withCondition = spec({
  id: 'n',
  condition: CONDITION,
  make: DAEMONIZE,
  dependsOn: ['a', 'b'],
  onSuccessActivate: ['s'],
  onFailureActivate: ['f'],
});
const noCondition = spec({ id: 'n', make: DAEMONIZE, dependsOn: ['a'] });

describe('activation', () => {
  it('passive → active and evaluates the condition first', () => {
    const node = nodeIn(withCondition, { kind: 'passive' });
    const result = transition(node, at({ kind: 'activate', by: { kind: 'user' } }));
    expect(result.node.state).toEqual({ kind: 'active', by: { kind: 'user' } });
    expect(result.commands).toEqual([{ kind: 'evaluate-condition', condition: CONDITION }]);
    expect(result.node.updatedAt).toBe(T);
    expect(result.history).toEqual([
      { nodeId: 'n', attempt: 1, time: T, state: result.node.state, message: null },
    ]);
  });

  it('without a condition goes straight to building and activates its dependencies', () => {
    const node = nodeIn(noCondition, { kind: 'passive' });
    const by = { kind: 'success-of', id: 'x' } as const;
    const result = transition(node, at({ kind: 'activate', by }));
    expect(result.node.state).toEqual({ kind: 'building' });
    expect(result.commands).toEqual([
      { kind: 'activate', ids: ['a'], by: { kind: 'dependency-of', id: 'n' } },
    ]);
    expect(result.history.map((entry) => entry.state)).toEqual([
      { kind: 'active', by },
      { kind: 'building' },
    ]);
  });

  it('without a condition nor dependencies emits nothing (the runtime sends dependencies-succeeded)', () => {
    const node = nodeIn(spec({ id: 'n' }), { kind: 'passive' });
    const result = transition(node, at({ kind: 'activate', by: { kind: 'user' } }));
    expect(result.node.state).toEqual({ kind: 'building' });
    expect(result.commands).toEqual([]);
  });

  it('is a no-op in any other state', () => {
    const node = nodeIn(withCondition, { kind: 'building' });
    const result = transition(node, at({ kind: 'activate', by: { kind: 'user' } }));
    expect(result.node).toBe(node);
    expect(result.commands).toEqual([]);
    expect(result.history).toEqual([]);
  });
});

describe('condition checked before running', () => {
  const active = nodeIn(withCondition, { kind: 'active', by: { kind: 'user' } });

  it('true: already done, finished successfully, on-success edges fire', () => {
    const result = transition(active, at({ kind: 'condition-evaluated', value: true }));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'successful',
      from: 'already-done',
    });
    expect(result.commands).toEqual([
      { kind: 'release-dependents', outcome: 'successful' },
      { kind: 'activate', ids: ['s'], by: { kind: 'success-of', id: 'n' } },
    ]);
    expect(result.history.map((entry) => entry.state.kind)).toEqual(['already-done', 'finished']);
  });

  it('false: building, dependencies activated', () => {
    const result = transition(active, at({ kind: 'condition-evaluated', value: false }));
    expect(result.node.state).toEqual({ kind: 'building' });
    expect(result.commands).toEqual([
      { kind: 'activate', ids: ['a', 'b'], by: { kind: 'dependency-of', id: 'n' } },
    ]);
  });
});

describe('building', () => {
  const building = nodeIn(withCondition, { kind: 'building' });

  it('dependencies succeeded: starting under the deterministic job name', () => {
    const result = transition(building, at({ kind: 'dependencies-succeeded' }));
    expect(result.node.state).toEqual({ kind: 'starting', jobName: 'ketrew-n-a1' });
    expect(result.commands).toEqual([{ kind: 'start', jobName: 'ketrew-n-a1', findFirst: false }]);
  });

  it('the job name follows the attempt', () => {
    const third = { ...building, attempt: 3 };
    const result = transition(third, at({ kind: 'dependencies-succeeded' }));
    expect(result.commands).toEqual([{ kind: 'start', jobName: 'ketrew-n-a3', findFirst: false }]);
  });

  it('no-operation with a condition: did-nothing, then the condition', () => {
    const node = nodeIn(spec({ id: 'n', condition: CONDITION }), { kind: 'building' });
    const result = transition(node, at({ kind: 'dependencies-succeeded' }));
    expect(result.node.state).toEqual({ kind: 'did-nothing' });
    expect(result.commands).toEqual([{ kind: 'evaluate-condition', condition: CONDITION }]);
  });

  it('no-operation without a condition: verified success at once', () => {
    const node = nodeIn(spec({ id: 'n', onSuccessActivate: ['s'] }), { kind: 'building' });
    const result = transition(node, at({ kind: 'dependencies-succeeded' }));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'successful',
      from: 'verified-success',
    });
    expect(result.history.map((entry) => entry.state.kind)).toEqual([
      'did-nothing',
      'verified-success',
      'finished',
    ]);
    expect(result.commands).toEqual([
      { kind: 'release-dependents', outcome: 'successful' },
      { kind: 'activate', ids: ['s'], by: { kind: 'success-of', id: 'n' } },
    ]);
  });

  it('dependencies failed: finished failed with the ids, on-failure edges fire', () => {
    const result = transition(building, at({ kind: 'dependencies-failed', ids: ['b'] }));
    const reason = { kind: 'dependency-failed', ids: ['b'] };
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'dependencies-failed',
    });
    expect(result.commands).toEqual([
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
    expect(result.history.map((entry) => entry.state)).toEqual([
      { kind: 'dependencies-failed', reason },
      result.node.state,
    ]);
  });

  it('ignores dependency answers outside building', () => {
    const active = nodeIn(withCondition, { kind: 'active', by: { kind: 'user' } });
    expect(transition(active, at({ kind: 'dependencies-succeeded' })).node).toBe(active);
    expect(transition(active, at({ kind: 'dependencies-failed', ids: ['a'] })).node).toBe(active);
  });
});

describe('equivalence', () => {
  const merged = (state: EngineNode['state']): EngineNode =>
    nodeIn(withCondition, state, { equivalentTo: 'old' });

  it('a merged node activates its dependencies and the node it is equivalent to, without checking', () => {
    const result = transition(
      merged({ kind: 'passive' }),
      at({ kind: 'activate', by: { kind: 'user' } }),
    );
    expect(result.node.state).toEqual({ kind: 'building' });
    expect(result.commands).toEqual([
      { kind: 'activate', ids: ['a', 'b', 'old'], by: { kind: 'dependency-of', id: 'n' } },
    ]);
  });

  it('ends successful without running anything when all it waits for succeeded', () => {
    const result = transition(merged({ kind: 'building' }), at({ kind: 'dependencies-succeeded' }));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'successful',
      from: 'verified-success',
    });
    expect(result.commands.some((command) => command.kind === 'start')).toBe(false);
  });
});

describe('starting and running', () => {
  const timed = spec({ id: 'n', make: DAEMONIZE, timeout: 30 });
  const starting = nodeIn(timed, { kind: 'starting', jobName: 'ketrew-n-a1' });
  const running = nodeIn(timed, { kind: 'running', jobName: 'ketrew-n-a1', run: RUN, since: T0 });

  it.each(['started', 'found'] as const)('%s: running, watched, timeout scheduled', (kind) => {
    const result = transition(starting, at({ kind, run: RUN }));
    expect(result.node.state).toEqual({
      kind: 'running',
      jobName: 'ketrew-n-a1',
      run: RUN,
      since: T,
    });
    expect(result.commands).toEqual([
      { kind: 'watch' },
      { kind: 'wake-up', at: T + 30_000, reason: 'timeout', attempt: 1 },
    ]);
  });

  it('no timeout wake-up without a timeout', () => {
    const node = nodeIn(noCondition, { kind: 'starting', jobName: 'ketrew-n-a1' });
    expect(transition(node, at({ kind: 'started', run: RUN })).commands).toEqual([
      { kind: 'watch' },
    ]);
  });

  it('a poll saying "running" with nothing new changes nothing', () => {
    const result = transition(running, at({ kind: 'polled', status: { kind: 'running' } }));
    expect(result.node).toBe(running);
    const same = transition(
      running,
      at({ kind: 'polled', status: { kind: 'running', run: { pid: 42 } } }),
    );
    expect(same.node).toBe(running);
  });

  it('a poll with new bookkeeping updates the run without a history entry', () => {
    const run = { pid: 42, step: 2 };
    const result = transition(running, at({ kind: 'polled', status: { kind: 'running', run } }));
    expect(result.node.state).toEqual({ ...running.state, run });
    expect(result.node.updatedAt).toBe(T);
    expect(result.history).toEqual([]);
    expect(result.commands).toEqual([]);
  });

  it('a poll saying "running" resets the count of recoverable errors', () => {
    const erring = { ...running, successiveErrors: 4 };
    const result = transition(erring, at({ kind: 'polled', status: { kind: 'running' } }));
    expect(result.node.successiveErrors).toBe(0);
    expect(result.history).toEqual([]);
  });

  it('succeeded with a condition: ran-successfully, condition checked', () => {
    const node = nodeIn(withCondition, running.state);
    const result = transition(node, at({ kind: 'polled', status: { kind: 'succeeded' } }));
    expect(result.node.state).toEqual({
      kind: 'ran-successfully',
      jobName: 'ketrew-n-a1',
      run: RUN,
    });
    expect(result.commands).toEqual([{ kind: 'evaluate-condition', condition: CONDITION }]);
  });

  it('succeeded without a condition: finished successfully', () => {
    const result = transition(running, at({ kind: 'polled', status: { kind: 'succeeded' } }));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'successful',
      from: 'verified-success',
    });
    expect(result.history.map((entry) => entry.state.kind)).toEqual([
      'ran-successfully',
      'verified-success',
      'finished',
    ]);
  });

  it('failed: failed-running with the backend reason', () => {
    const reason = { kind: 'non-zero-exit', code: 2 } as const;
    const result = transition(running, at({ kind: 'polled', status: { kind: 'failed', reason } }));
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'failed-running',
    });
    expect(result.history[0]?.state).toEqual({ kind: 'failed-running', reason, run: RUN });
  });

  it('lost: fails with reason lost, never stays running', () => {
    const result = transition(
      running,
      at({ kind: 'polled', status: { kind: 'lost', message: 'no pid' } }),
    );
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: { kind: 'lost', message: 'no pid' },
      from: 'failed-running',
    });
  });

  it('ignores answers meant for other states', () => {
    expect(transition(running, at({ kind: 'started', run: RUN })).node).toBe(running);
    expect(transition(starting, at({ kind: 'polled', status: { kind: 'succeeded' } })).node).toBe(
      starting,
    );
    expect(transition(running, at({ kind: 'condition-evaluated', value: true })).node).toBe(
      running,
    );
    expect(transition(running, at({ kind: 'kill-succeeded' })).node).toBe(running);
  });
});

describe('condition checked after running', () => {
  const states = [
    { kind: 'ran-successfully', jobName: 'ketrew-n-a1', run: RUN },
    { kind: 'did-nothing' },
  ] as const;

  it.each(states)('$kind, true: verified success', (state) => {
    const result = transition(
      nodeIn(withCondition, state),
      at({ kind: 'condition-evaluated', value: true }),
    );
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'successful',
      from: 'verified-success',
    });
    expect(result.commands[0]).toEqual({ kind: 'release-dependents', outcome: 'successful' });
  });

  it.each(states)('$kind, false: did not ensure the condition', (state) => {
    const result = transition(
      nodeIn(withCondition, state),
      at({ kind: 'condition-evaluated', value: false }),
    );
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: { kind: 'condition-not-ensured' },
      from: 'did-not-ensure-condition',
    });
    expect(result.commands).toEqual([
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
  });
});

describe('restart', () => {
  it('a finished node starts a new attempt', () => {
    const node = nodeIn(
      withCondition,
      { kind: 'finished', outcome: 'failed', from: 'killed' },
      { attempt: 2 },
    );
    const result = transition(node, at({ kind: 'restart' }));
    expect(result.node.attempt).toBe(3);
    expect(result.node.state).toEqual({ kind: 'active', by: { kind: 'restart' } });
    expect(result.commands).toEqual([{ kind: 'evaluate-condition', condition: CONDITION }]);
    expect(result.history[0]?.attempt).toBe(3);
  });

  it('is a no-op before the node finished', () => {
    const node = nodeIn(withCondition, { kind: 'building' });
    expect(transition(node, at({ kind: 'restart' })).node).toBe(node);
  });
});
