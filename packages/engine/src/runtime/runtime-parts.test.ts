import { describe, expect, it } from 'vitest';
import { FakeTransport } from '../testing/fake-transport.js';
import { VirtualClock } from './clock.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { ConditionEvaluator } from './condition-evaluator.js';
import { DependencyCounters } from './dependency-counters.js';
import { EventHub } from './event-hub.js';
import { programToShell } from './program-to-shell.js';
import { ReadyQueue } from './ready-queue.js';
import { LOCALHOST, fileExists } from './test-workflows.js';
import { WakeUpTimers, type DueWakeUp } from './wake-up-timers.js';

describe('VirtualClock', () => {
  it('fires timers in time order, ties in the order set, and only when advanced', () => {
    const clock = new VirtualClock(100);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(200, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(300, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(400, () => fired.push('never')).cancel();
    clock.advanceTo(250);
    expect(fired).toEqual(['a@200']);
    clock.advanceBy(1_000);
    expect(fired).toEqual(['a@200', 'b@300', 'c@300']);
    expect(clock.now()).toBe(1_250);
    expect(clock.nextTimerAt()).toBeNull();
  });
});

describe('WakeUpTimers', () => {
  it('keeps one wake-up per node and reason, delivered in time order with one clock timer', () => {
    const clock = new VirtualClock(0);
    const due: DueWakeUp[] = [];
    const timers = new WakeUpTimers(clock, (d) => due.push(...d));
    timers.schedule('a', 50, 'timeout', 1);
    timers.schedule('b', 20, 'retry-phase', 1);
    timers.schedule('a', 30, 'timeout', 2); // replaces the first
    timers.schedule('c', 40, 'next-attempt', 1);
    timers.cancelNode('c');
    expect(clock.pendingTimers).toBe(1);
    clock.advanceTo(100);
    expect(due).toEqual([
      { nodeId: 'b', reason: 'retry-phase', attempt: 1 },
      { nodeId: 'a', reason: 'timeout', attempt: 2 },
    ]);
    expect(timers.size).toBe(0);
  });
});

describe('DependencyCounters', () => {
  it('counts unfinished dependencies and reports failures at once', () => {
    const counters = new DependencyCounters();
    counters.track('x', ['a', 'b', 'c'], (dep) => (dep === 'c' ? 'successful' : 'unfinished'));
    expect(counters.readiness('x')).toEqual({ kind: 'waiting' });
    expect(counters.finished('a', 'successful')).toEqual(['x']);
    expect(counters.readiness('x')).toEqual({ kind: 'waiting' });
    counters.finished('b', 'failed');
    expect(counters.readiness('x')).toEqual({ kind: 'failed', ids: ['b'] });
    counters.reopened('b');
    expect(counters.readiness('x')).toEqual({ kind: 'waiting' });
    counters.finished('b', 'successful');
    expect(counters.readiness('x')).toEqual({ kind: 'ready' });
  });

  it('keeps reverse edges for many dependents of one node', () => {
    const counters = new DependencyCounters();
    for (const id of ['p', 'q', 'r']) counters.track(id, ['shared'], () => 'unfinished');
    counters.untrack('q');
    expect(counters.finished('shared', 'successful')).toEqual(['p', 'r']);
    expect(counters.readiness('p')).toEqual({ kind: 'ready' });
  });
});

describe('ConcurrencyLimiter and ReadyQueue', () => {
  const limiter = () =>
    new ConcurrencyLimiter({
      maxRunning: (backend) => (backend === 'slurm' ? 1 : null),
      hostCpus: (host) => (host === 'box' ? 4 : null),
    });

  it('grants slots first in, first out per group, without one full group blocking another', () => {
    const slots = limiter();
    const queue = new ReadyQueue();
    queue.push('s1', { backend: 'slurm', host: null, cpus: 1 });
    queue.push('s2', { backend: 'slurm', host: null, cpus: 1 });
    queue.push('d1', { backend: 'daemonize', host: 'box', cpus: 3 });
    queue.push('d2', { backend: 'daemonize', host: 'box', cpus: 2 });
    queue.push('d3', { backend: 'daemonize', host: 'box', cpus: 1 });
    expect(queue.drain(slots)).toEqual(['s1', 'd1']);
    slots.release('d1');
    expect(queue.drain(slots)).toEqual(['d2', 'd3']);
    queue.remove('s2');
    slots.release('s1');
    expect(queue.drain(slots)).toEqual([]);
    expect(slots.usage()).toEqual({ slurm: 0, daemonize: 2 });
    expect(slots.hostUsage()).toEqual({ box: 3 });
  });

  it('lets a job larger than its host run alone', () => {
    const slots = limiter();
    expect(slots.canAcquire({ backend: 'daemonize', host: 'box', cpus: 8 })).toBe(true);
    slots.acquire('big', { backend: 'daemonize', host: 'box', cpus: 8 });
    expect(slots.canAcquire({ backend: 'daemonize', host: 'box', cpus: 1 })).toBe(false);
  });
});

describe('ConditionEvaluator', () => {
  const evaluator = (transport: FakeTransport) =>
    new ConditionEvaluator({ transportFor: () => transport, defaultCommandTimeoutMs: 1_000 });

  it('checks volumes by stat and sizes by their files', async () => {
    const transport = new FakeTransport({ files: { '/d/a.txt': '12345', '/d/sub/b.txt': '123' } });
    const volume = {
      host: LOCALHOST,
      root: '/d',
      structure: {
        kind: 'directory' as const,
        name: 'sub',
        children: [{ kind: 'file' as const, name: 'b.txt' }],
      },
    };
    const check = evaluator(transport);
    expect(await check.evaluate(fileExists('/d/a.txt'))).toBe(true);
    expect(await check.evaluate(fileExists('/d/missing'))).toBe(false);
    expect(await check.evaluate({ kind: 'volume-exists', volume })).toBe(true);
    expect(await check.evaluate({ kind: 'volume-size-at-least', volume, bytes: 3 })).toBe(true);
    expect(await check.evaluate({ kind: 'volume-size-at-least', volume, bytes: 4 })).toBe(false);
    expect(await check.evaluate({ kind: 'never' })).toBe(false);
    expect(
      await check.evaluate({
        kind: 'and',
        conditions: [fileExists('/d/a.txt'), { kind: 'never' }],
      }),
    ).toBe(false);
  });

  it('runs a command with the host shell and compares its exit code', async () => {
    const transport = new FakeTransport();
    const check = evaluator(transport);
    const returns = (command: string, code: number) => ({
      kind: 'command-returns' as const,
      host: LOCALHOST,
      program: { kind: 'sh' as const, command },
      returns: code,
    });
    expect(await check.evaluate(returns('exit 3', 3))).toBe(true);
    expect(await check.evaluate(returns('exit 3', 0))).toBe(false);
    expect(transport.commands[0]).toEqual({ argv: ['sh', '-c', 'exit 3'] });
  });

  it('lets host errors through, to be counted by the core', async () => {
    const transport = new FakeTransport();
    transport.unreachable = true;
    await expect(evaluator(transport).evaluate(fileExists('/x'))).rejects.toMatchObject({
      recoverable: true,
    });
  });
});

describe('programToShell', () => {
  it('quotes exec arguments and chains with &&', () => {
    expect(
      programToShell({
        kind: 'and',
        programs: [
          { kind: 'sh', command: 'cd /tmp' },
          { kind: 'exec', argv: ['echo', "it's", 'a b', 'plain-1.0'] },
        ],
      }),
    ).toBe(`( cd /tmp ) && ( echo 'it'\\''s' 'a b' plain-1.0 )`);
    expect(programToShell({ kind: 'and', programs: [] })).toBe('true');
  });
});

describe('EventHub', () => {
  it('delivers to subscribers until they unsubscribe, and drops one that throws', () => {
    const hub = new EventHub<number>();
    const seen: number[] = [];
    const stop = hub.subscribe((n) => seen.push(n));
    hub.subscribe(() => {
      throw new Error('bad listener');
    });
    hub.emit(1);
    stop();
    hub.emit(2);
    expect(seen).toEqual([1]);
    expect(hub.listenerCount).toBe(0);
  });
});
