import { NodeSpecSchema } from '@ketrew/edsl';
import { describe, expect, it } from 'vitest';
import type { RunState } from '../core/node-state.js';
import type { Backend, PollOutcome } from '../ports/backend.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { BackendPoller } from './backend-poller.js';
import { VirtualClock } from './clock.js';

const INTERVAL = 1_000;
const flush = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** A poller over a fake backend on virtual time, its jobs started by hand, its polls recorded. */
async function setUp(options: { pollLatency?: number; durations?: number[] } = {}) {
  const clock = new VirtualClock(0);
  const backend = new FakeBackend({
    clock,
    pollLatency: options.pollLatency,
    script: (ctx) => ({ duration: options.durations?.[Number(ctx.nodeId.slice(1))] ?? 60_000 }),
  });
  const runs = new Map<string, RunState>();
  const startJob = async (id: string): Promise<void> => {
    const node = NodeSpecSchema.parse({ id, name: id, make: { backend: 'fake' } });
    runs.set(id, await backend.start({ nodeId: id, attempt: 1, jobName: `ketrew-${id}-a1`, node }));
  };
  const polls: { at: number; outcomes: Record<string, PollOutcome['kind']> }[] = [];
  const poller: BackendPoller = new BackendPoller({
    backend,
    clock,
    intervalMs: INTERVAL,
    runOf: (id) => runs.get(id) ?? null,
    nodeOf: (id) => (runs.has(id) ? { id, attempt: 1 } : undefined),
    onResults: (ids, _attempts, outcomes) => {
      const byId: Record<string, PollOutcome['kind']> = {};
      ids.forEach((id, i) => {
        byId[id] = outcomes[i]?.kind ?? 'error';
        // As RunWatchers does: a run whose end was seen is not watched any more.
        if (byId[id] !== 'running') poller.unwatch(id);
      });
      polls.push({ at: clock.now(), outcomes: byId });
    },
  });
  /** Move the clock to `ms` and let polls in flight answer. */
  const advanceTo = async (ms: number): Promise<void> => {
    for (;;) {
      const next = clock.nextTimerAt();
      if (next === null || next > ms) break;
      clock.advanceTo(next);
      await flush();
    }
    clock.advanceTo(ms);
    await flush();
  };
  return { clock, backend, poller, polls, startJob, advanceTo };
}

describe('BackendPoller', () => {
  it('polls a newly watched run at once, then once per interval', async () => {
    const { poller, polls, startJob, advanceTo } = await setUp();
    await startJob('n0');
    poller.watch('n0');
    await advanceTo(3_500);
    expect(polls.map((p) => p.at)).toEqual([0, 1_000, 2_000, 3_000]);
    poller.stop();
  });

  it('polls at once on a nudge, then resumes its interval from there', async () => {
    const { poller, polls, startJob, advanceTo } = await setUp();
    await startJob('n0');
    poller.watch('n0');
    await advanceTo(400);
    poller.nudge();
    await advanceTo(400);
    expect(polls.map((p) => p.at)).toEqual([0, 400]);
    await advanceTo(2_500);
    expect(polls.map((p) => p.at)).toEqual([0, 400, 1_400, 2_400]);
    poller.stop();
  });

  it('sees a job end at the hint rather than at the next interval', async () => {
    const { poller, polls, startJob, advanceTo } = await setUp({ durations: [250] });
    await startJob('n0');
    poller.watch('n0');
    await advanceTo(260);
    poller.nudge();
    await advanceTo(260);
    expect(polls.at(-1)).toEqual({ at: 260, outcomes: { n0: 'succeeded' } });
    poller.stop();
  });

  it('turns hints that arrive during a poll into one poll right after it', async () => {
    const { poller, polls, startJob, advanceTo } = await setUp({ pollLatency: 100 });
    await startJob('n0');
    const calls = (): number => poller.polls;
    poller.watch('n0');
    await advanceTo(50); // the first poll (started at 0) is in flight until 100
    for (let i = 0; i < 5; i++) poller.nudge();
    expect(calls()).toBe(1);
    await advanceTo(150);
    // The poll that began at 0 answered at 100, and one more began at once (answers at 200).
    expect(polls.map((p) => p.at)).toEqual([100]);
    expect(calls()).toBe(2);
    await advanceTo(1_050);
    expect(polls.map((p) => p.at)).toEqual([100, 200]);
    expect(calls()).toBe(2); // no third poll before the interval: the hints made only one
    await advanceTo(1_150); // the interval runs from the start of the last poll (100)
    expect(calls()).toBe(3);
    poller.stop();
  });

  it('remembers a hint that came while nothing was watched: the next watch polls at once', async () => {
    const { poller, polls, startJob, advanceTo } = await setUp({ durations: [0, 10] });
    await startJob('n0');
    poller.watch('n0');
    await advanceTo(0);
    expect(polls).toHaveLength(1); // n0 succeeded: nothing watched any more
    await advanceTo(100);
    await startJob('n1');
    poller.nudge(); // n1's job may have ended before it is watched
    await advanceTo(200);
    poller.watch('n1');
    await advanceTo(200);
    expect(polls.map((p) => [p.at, p.outcomes])).toEqual([
      [0, { n0: 'succeeded' }],
      [200, { n1: 'succeeded' }],
    ]);
    poller.stop();
  });

  it("subscribes to the backend's watchActivity when it watches, and stops with it", async () => {
    const { poller, polls, startJob, advanceTo, backend } = await setUp({ durations: [300] });
    expect(backend.activityWatchers).toBe(0);
    await startJob('n0');
    poller.watch('n0');
    expect(backend.activityWatchers).toBe(1);
    await advanceTo(300);
    backend.emitActivity();
    await advanceTo(300);
    expect(polls.map((p) => [p.at, p.outcomes])).toEqual([
      [0, { n0: 'running' }],
      [300, { n0: 'succeeded' }],
    ]);
    poller.stop();
    expect(backend.activityWatchers).toBe(0);
    await startJob('n1');
    poller.watch('n1');
    backend.emitActivity();
    await advanceTo(5_000);
    expect(polls).toHaveLength(2);
  });

  it('polls on its interval when watchActivity throws', async () => {
    const clock = new VirtualClock(0);
    const fake = new FakeBackend({ clock, script: () => ({ duration: 60_000 }) });
    const backend: Backend = Object.assign(Object.create(fake) as FakeBackend, {
      watchActivity: (): (() => void) => {
        throw new Error('no inotify here');
      },
    });
    const node = NodeSpecSchema.parse({ id: 'n0', name: 'n0', make: { backend: 'fake' } });
    const run = await fake.start({ nodeId: 'n0', attempt: 1, jobName: 'ketrew-n0-a1', node });
    const times: number[] = [];
    const poller = new BackendPoller({
      backend,
      clock,
      intervalMs: INTERVAL,
      runOf: () => run,
      nodeOf: () => ({ id: 'n0', attempt: 1 }),
      onResults: () => times.push(clock.now()),
    });
    poller.watch('n0');
    for (const at of [0, 1_000, 2_000]) {
      clock.advanceTo(at);
      await flush();
    }
    expect(times).toEqual([0, 1_000, 2_000]);
    poller.stop();
  });
});
