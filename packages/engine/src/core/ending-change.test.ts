import { describe, expect, it } from 'vitest';
import { NodeSpecSchema } from '@ketrew/edsl';
import { transition } from './transition.js';
import type { NodeEvent } from './events.js';
import type { EngineNode } from './engine-node.js';
import { CONDITION, DAEMONIZE, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const T = T0 + 5_000;
const RUN = { pid: 7 };
const exit2 = { kind: 'non-zero-exit', code: 2 } as const;
const retried = spec({
  id: 'n',
  condition: CONDITION,
  make: DAEMONIZE,
  onFailureActivate: ['f'],
  retry: { attempts: 3, on: ['non-zero-exit'], backoff: { initial: 10, factor: 3, max: 60 } },
});

function runningAt(attempt: number, nodeSpec = retried): EngineNode {
  return nodeIn(
    nodeSpec,
    { kind: 'running', jobName: `ketrew-n-a${attempt}`, run: RUN, since: T0 },
    { attempt },
  );
}

const exitedWith2: NodeEvent = {
  kind: 'polled',
  status: { kind: 'failed', reason: exit2 },
  time: T,
};

describe('retry policy', () => {
  it('a failure the policy covers waits in its failed state for the next attempt', () => {
    const result = transition(runningAt(1), exitedWith2);
    expect(result.node.state).toEqual({
      kind: 'failed-running',
      reason: exit2,
      run: RUN,
      nextAttemptAt: T + 10_000,
    });
    expect(result.commands).toEqual([
      { kind: 'wake-up', at: T + 10_000, reason: 'next-attempt', attempt: 1 },
    ]);
    expect(result.history.map((entry) => entry.state.kind)).toEqual(['failed-running']);
  });

  it('the delay grows with the attempt and is capped: min(initial · factor^(n-1), max)', () => {
    expect(transition(runningAt(2), exitedWith2).commands).toEqual([
      { kind: 'wake-up', at: T + 30_000, reason: 'next-attempt', attempt: 2 },
    ]);
    const longer = NodeSpecSchema.parse({ ...retried, retry: { ...retried.retry, attempts: 9 } });
    expect(transition(runningAt(5, longer), exitedWith2).commands).toEqual([
      { kind: 'wake-up', at: T + 60_000, reason: 'next-attempt', attempt: 5 },
    ]);
  });

  it('the next attempt is a new activation with attempt + 1 and a clean error count', () => {
    const waiting = { ...transition(runningAt(1), exitedWith2).node, successiveErrors: 0 };
    const result = transition(waiting, {
      kind: 'wake-up',
      reason: 'next-attempt',
      attempt: 1,
      time: T + 10_000,
    });
    expect(result.node.attempt).toBe(2);
    expect(result.node.successiveErrors).toBe(0);
    expect(result.node.state).toEqual({
      kind: 'active',
      by: { kind: 'retry', previousAttempt: 1 },
    });
    expect(result.commands).toEqual([{ kind: 'evaluate-condition', condition: CONDITION }]);
    expect(result.history).toEqual([
      { nodeId: 'n', attempt: 2, time: T + 10_000, state: result.node.state, message: null },
    ]);
  });

  it('the last allowed attempt finishes failed with on-failure edges', () => {
    const result = transition(runningAt(3), exitedWith2);
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: exit2,
      from: 'failed-running',
    });
    expect(result.commands).toEqual([
      { kind: 'release-dependents', outcome: 'failed' },
      { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
    ]);
  });

  it('a reason the policy does not list is not retried', () => {
    const lost: NodeEvent = { kind: 'polled', status: { kind: 'lost', message: 'gone' }, time: T };
    expect(transition(runningAt(1), lost).node.state.kind).toBe('finished');
  });

  it('by default, dependency failures are not retried', () => {
    const defaults = NodeSpecSchema.parse({ id: 'n', name: 'n', retry: { attempts: 3 } });
    expect(defaults.retry?.on).not.toContain('dependency-failed');
    const result = transition(nodeIn(defaults, { kind: 'building' }), {
      kind: 'dependencies-failed',
      ids: ['a'],
      time: T,
    });
    expect(result.node.state.kind).toBe('finished');
  });

  it('next-attempt wake-ups are stale for another attempt or a node not waiting', () => {
    const waiting = transition(runningAt(1), exitedWith2).node;
    const wake = (attempt: number): NodeEvent => ({
      kind: 'wake-up',
      reason: 'next-attempt',
      attempt,
      time: T,
    });
    expect(transition(waiting, wake(2)).node).toBe(waiting);
    const finished = transition(runningAt(3), exitedWith2).node;
    expect(transition(finished, wake(3)).node).toBe(finished);
  });

  it('attempts never exceed retry.attempts across a whole run of failures', () => {
    let node = runningAt(1);
    let time = T;
    for (let round = 0; round < 10 && node.state.kind !== 'finished'; round++) {
      node = transition(node, { ...exitedWith2, time }).node;
      if (node.state.kind !== 'failed-running') break;
      time += 60_000;
      node = transition(node, {
        kind: 'wake-up',
        reason: 'next-attempt',
        attempt: node.attempt,
        time,
      }).node;
      node = { ...node, state: { kind: 'running', jobName: 'j', run: RUN, since: time } };
    }
    expect(node.state.kind).toBe('finished');
    expect(node.attempt).toBe(3);
  });
});
