import { describe, expect, it } from 'vitest';
import { transition } from './transition.js';
import type { NodeEvent } from './events.js';
import type { NodeState } from './node-state.js';
import { CONDITION, DAEMONIZE, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const T = T0 + 5_000;
const RUN = { pid: 7 };
const retryAll = {
  attempts: 3,
  on: ['killed', 'timeout'] as const,
  backoff: { initial: 10, factor: 2, max: 600 },
};
const nodeSpec = spec({
  id: 'n',
  condition: CONDITION,
  make: DAEMONIZE,
  onFailureActivate: ['f'],
  timeout: 60,
  retry: { ...retryAll, on: [...retryAll.on] },
});
const kill: NodeEvent = { kind: 'kill', message: 'by alice', time: T };
const reason = { kind: 'killed', message: 'by alice' } as const;
const releaseAndEdges = [
  { kind: 'release-dependents', outcome: 'failed' },
  { kind: 'activate', ids: ['f'], by: { kind: 'failure-of', id: 'n' } },
];

describe('kill', () => {
  it('passive: killed from passive, dependents released, on-failure edges not fired', () => {
    const result = transition(nodeIn(nodeSpec, { kind: 'passive' }), kill);
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'killed',
    });
    expect(result.history[0]).toMatchObject({
      state: { kind: 'killed', reason, fromPassive: true },
      message: 'by alice',
    });
    expect(result.commands).toEqual([{ kind: 'release-dependents', outcome: 'failed' }]);
  });

  it.each<NodeState>([
    { kind: 'active', by: { kind: 'user' } },
    { kind: 'building' },
    { kind: 'ran-successfully', jobName: 'j', run: RUN },
    { kind: 'did-nothing' },
  ])('$kind: killed at once, edges fired, never retried', (state) => {
    const result = transition(nodeIn(nodeSpec, state), kill);
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'killed',
    });
    expect(result.history[0]?.state).toEqual({ kind: 'killed', reason, fromPassive: false });
    expect(result.commands).toEqual(releaseAndEdges);
  });

  it('starting: the job is looked up and killed through the backend', () => {
    const result = transition(nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' }), kill);
    expect(result.node.state).toEqual({ kind: 'killing', jobName: 'j', run: null, reason });
    expect(result.commands).toEqual([{ kind: 'kill', jobName: 'j', run: null }]);
  });

  it('running: killed through the backend', () => {
    const running = nodeIn(nodeSpec, { kind: 'running', jobName: 'j', run: RUN, since: T0 });
    const result = transition(running, kill);
    expect(result.node.state).toEqual({ kind: 'killing', jobName: 'j', run: RUN, reason });
    expect(result.commands).toEqual([{ kind: 'kill', jobName: 'j', run: RUN }]);
  });

  it('waiting for a retry: the retry is cancelled', () => {
    const waiting = nodeIn(nodeSpec, {
      kind: 'failed-running',
      reason: { kind: 'lost', message: 'gone' },
      nextAttemptAt: T + 1,
    });
    const result = transition(waiting, kill);
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'killed',
    });
    expect(result.commands).toEqual(releaseAndEdges);
  });

  it.each<NodeState>([
    { kind: 'killing', jobName: 'j', run: RUN, reason },
    { kind: 'finished', outcome: 'successful', from: 'verified-success' },
  ])('$kind: no-op', (state) => {
    const node = nodeIn(nodeSpec, state);
    expect(transition(node, kill)).toEqual({ node, commands: [], history: [] });
    expect(transition(node, kill).node).toBe(node);
  });
});

describe('killing', () => {
  const killing = nodeIn(nodeSpec, { kind: 'killing', jobName: 'j', run: RUN, reason });

  it('kill succeeded: finished failed with the kill reason, never retried after a user kill', () => {
    const result = transition(killing, { kind: 'kill-succeeded', time: T });
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'killed',
    });
    expect(result.commands).toEqual(releaseAndEdges);
  });

  it.each([
    { kind: 'succeeded' },
    { kind: 'failed', reason: { kind: 'non-zero-exit', code: 1 } },
    { kind: 'lost', message: 'gone' },
  ] as const)('the job ended by itself ($kind): finished with the kill reason', (status) => {
    const result = transition(killing, { kind: 'polled', status, time: T });
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason,
      from: 'killed',
    });
    expect(result.history[0]?.message).toBe('the job ended by itself while being killed');
  });

  it('a poll saying running changes nothing', () => {
    expect(transition(killing, { kind: 'polled', status: { kind: 'running' }, time: T }).node).toBe(
      killing,
    );
  });

  it('a start that answers after the kill was asked: its job is killed', () => {
    const early = nodeIn(nodeSpec, { kind: 'killing', jobName: 'j', run: null, reason });
    const result = transition(early, { kind: 'started', run: RUN, time: T });
    expect(result.node.state).toEqual({ kind: 'killing', jobName: 'j', run: RUN, reason });
    expect(result.commands).toEqual([{ kind: 'kill', jobName: 'j', run: RUN }]);
    expect(result.history).toEqual([]);
    expect(transition(killing, { kind: 'found', run: RUN, time: T }).node).toBe(killing);
  });
});

describe('timeout', () => {
  const running = nodeIn(nodeSpec, { kind: 'running', jobName: 'j', run: RUN, since: T0 });
  const wake = (attempt: number): NodeEvent => ({
    kind: 'wake-up',
    reason: 'timeout',
    attempt,
    time: T,
  });

  it('kills the running job to fail it with reason timeout', () => {
    const result = transition(running, wake(1));
    const timeout = { kind: 'timeout', seconds: 60 };
    expect(result.node.state).toEqual({ kind: 'killing', jobName: 'j', run: RUN, reason: timeout });
    expect(result.commands).toEqual([{ kind: 'kill', jobName: 'j', run: RUN }]);
    expect(result.history[0]?.message).toBe('timed out after 60 s');
  });

  it('a timeout kill is retried when the policy allows it', () => {
    const killingForTimeout = transition(running, wake(1)).node;
    const result = transition(killingForTimeout, { kind: 'kill-succeeded', time: T });
    // attempt 1 → delay initial · factor^0 = 10 s
    expect(result.node.state).toEqual({
      kind: 'killed',
      reason: { kind: 'timeout', seconds: 60 },
      fromPassive: false,
      nextAttemptAt: T + 10_000,
    });
    expect(result.commands).toEqual([
      { kind: 'wake-up', at: T + 10_000, reason: 'next-attempt', attempt: 1 },
    ]);
  });

  it('is stale for another attempt or outside running', () => {
    expect(transition(running, wake(2)).node).toBe(running);
    const starting = nodeIn(nodeSpec, { kind: 'starting', jobName: 'j' });
    expect(transition(starting, wake(1)).node).toBe(starting);
  });
});

describe('orphaned', () => {
  it('passive: killed from passive without on-failure edges', () => {
    const result = transition(nodeIn(nodeSpec, { kind: 'passive' }), { kind: 'orphaned', time: T });
    expect(result.node.state).toEqual({
      kind: 'finished',
      outcome: 'failed',
      reason: { kind: 'killed', message: 'orphaned: no active node can reach it' },
      from: 'killed',
    });
    expect(result.commands).toEqual([{ kind: 'release-dependents', outcome: 'failed' }]);
  });

  it('anything else: no-op', () => {
    const node = nodeIn(nodeSpec, { kind: 'building' });
    expect(transition(node, { kind: 'orphaned', time: T }).node).toBe(node);
  });
});
