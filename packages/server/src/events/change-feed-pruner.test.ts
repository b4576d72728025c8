import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeFeedPruner } from './change-feed-pruner.js';

const HOUR = 3_600_000;

function recorder(result: () => Promise<number> = async () => 3) {
  const cutoffs: number[] = [];
  const prune = async (before: number) => {
    cutoffs.push(before);
    return result();
  };
  return { cutoffs, prune };
}

describe('ChangeFeedPruner', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prunes at start, then once per interval, what is older than the retention, until stopped', async () => {
    vi.useFakeTimers();
    let now = 10 * HOUR;
    const { cutoffs, prune } = recorder();
    const pruner = new ChangeFeedPruner({
      prune,
      retentionMs: 2 * HOUR,
      now: () => now,
      onError: () => expect.fail('no error expected'),
      intervalMs: HOUR,
    });
    pruner.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(cutoffs).toEqual([8 * HOUR]);
    now += HOUR;
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(cutoffs).toEqual([8 * HOUR, 9 * HOUR]);
    pruner.stop();
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(cutoffs).toHaveLength(2);
  });

  it('reports a failed prune and tries again at the next one', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const { cutoffs, prune } = recorder(async () => {
      if (fail) throw new Error('database is locked');
      return 5;
    });
    const pruner = new ChangeFeedPruner({
      prune,
      retentionMs: 0,
      now: () => 100,
      onError: (error) => errors.push(error),
    });
    expect(await pruner.pruneOnce()).toBe(0);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database is locked');
    fail = false;
    expect(await pruner.pruneOnce()).toBe(5);
    expect(cutoffs).toEqual([100, 100]);
  });

  it('skips a prune due while the previous one still runs', async () => {
    let release: (value: number) => void = () => undefined;
    const { cutoffs, prune } = recorder(
      () => new Promise<number>((resolve) => (release = resolve)),
    );
    const pruner = new ChangeFeedPruner({ prune, retentionMs: 0, now: () => 1, onError: () => {} });
    const first = pruner.pruneOnce();
    expect(await pruner.pruneOnce()).toBe(0);
    release(7);
    expect(await first).toBe(7);
    expect(cutoffs).toHaveLength(1);
  });
});
