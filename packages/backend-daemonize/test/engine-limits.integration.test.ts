import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, waitUntilFinished, type EngineHarness } from './support/engine-harness.js';

// DESIGN.md §5: concurrency limits per host. 20 real jobs on a host limited to 2 at a time;
// each job writes when it started and ended (bash's $EPOCHREALTIME) into its own file, and the
// overlaps are computed from those records afterwards (data, not timings of the test).

const JOBS = 20;
const LIMIT = 2;

let harness: EngineHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Interval {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** The largest number of intervals that contain one same instant. */
function maximumOverlap(intervals: readonly Interval[]): number {
  // Ends sort before starts at the same instant: touching intervals do not overlap.
  const points = intervals
    .flatMap((i) => [
      { at: i.start, delta: 1 },
      { at: i.end, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let maximum = 0;
  for (const point of points) {
    running += point.delta;
    maximum = Math.max(maximum, running);
  }
  return maximum;
}

async function intervalOf(dir: string, id: string): Promise<Interval> {
  const text = await readFile(join(dir, 'records', id), 'utf8');
  const times = new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([kind, time]) => [kind, Number((time ?? '').replace(',', '.'))] as const),
  );
  const start = times.get('start');
  const end = times.get('end');
  if (start === undefined || end === undefined || !(end >= start)) {
    throw new Error(`bad record of ${id}: ${text}`);
  }
  return { id, start, end };
}

describe('a host limited to 2 concurrent jobs', () => {
  it(`never runs more than ${LIMIT} of ${JOBS} jobs at once`, { timeout: 180_000 }, async () => {
    harness = await startHarness({
      prepare: async (dir) => ({
        // The host's own limit (its name is the directory) is 2, below the machine default of 8.
        config: { localHostCpus: 8, hostCpus: { [dir]: LIMIT } },
      }),
    });
    const { dir, host, engine, store } = harness;
    const ids = Array.from({ length: JOBS }, (_, i) => `job-${i}`);
    const record = (id: string): string =>
      [
        `mkdir -p '${dir}/records'`,
        `printf 'start %s\\n' "$EPOCHREALTIME" > '${dir}/records/${id}'`,
        'sleep 1',
        `printf 'end %s\\n' "$EPOCHREALTIME" >> '${dir}/records/${id}'`,
      ].join('; ');
    await engine.submit({
      version: 1,
      root: 'all',
      nodes: [
        ...ids.map((id) => ({
          id,
          name: id,
          make: { backend: 'daemonize', host, program: { kind: 'sh', command: record(id) } },
        })),
        { id: 'all', name: 'all', active: true, dependsOn: ids },
      ],
    });
    const nodes = await waitUntilFinished(store, [...ids, 'all'], 150_000);
    expect(nodes.map((n) => n.state)).toEqual(
      nodes.map(() => ({ kind: 'finished', outcome: 'successful', from: 'verified-success' })),
    );
    const intervals = await Promise.all(ids.map((id) => intervalOf(dir, id)));
    expect(intervals).toHaveLength(JOBS);
    expect(maximumOverlap(intervals)).toBeLessThanOrEqual(LIMIT);
    // The limit is 2, not 1: a free slot is used while the other job still runs.
    expect(maximumOverlap(intervals)).toBe(LIMIT);
  });

  it('counts overlaps as the test expects', () => {
    const at = (id: string, start: number, end: number): Interval => ({ id, start, end });
    expect(maximumOverlap([at('a', 0, 2), at('b', 1, 3), at('c', 2, 4)])).toBe(2);
    expect(maximumOverlap([at('a', 0, 1), at('b', 1, 2)])).toBe(1);
    expect(maximumOverlap([at('a', 0, 5), at('b', 1, 4), at('c', 2, 3)])).toBe(3);
  });
});
