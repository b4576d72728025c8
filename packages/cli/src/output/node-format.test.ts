import { describe, expect, it } from 'vitest';
import {
  describeHistoryState,
  describeState,
  formatAgo,
  formatCounts,
  formatSeconds,
} from './node-format.js';
import { createPalette } from './palette.js';
import { describeCondition, describeProgram } from './describe-spec.js';

describe('describeState', () => {
  it('says who activated a node and why one failed', () => {
    expect(describeState({ kind: 'active', by: { kind: 'dependency-of', id: 'n9' } })).toBe(
      'active (as a dependency of n9)',
    );
    expect(
      describeState({ kind: 'failed-running', reason: { kind: 'non-zero-exit', code: 2 } }),
    ).toBe('failed-running: non-zero exit 2');
    expect(
      describeState({
        kind: 'failed-to-start',
        reason: { kind: 'start-failed', message: 'no pid' },
        nextAttemptAt: 5,
      }),
    ).toBe('failed-to-start: start failed: no pid (will retry)');
  });

  it('shows the state a finished node finished from', () => {
    expect(
      describeState({ kind: 'finished', outcome: 'successful', from: 'verified-success' }),
    ).toBe('verified-success');
    expect(
      describeState({
        kind: 'finished',
        outcome: 'failed',
        from: 'dependencies-failed',
        reason: { kind: 'dependency-failed', ids: ['a', 'b'] },
      }),
    ).toBe('dependencies-failed: dependency failed: a, b');
  });
});

describe('time formatting', () => {
  it('prints short durations', () => {
    expect(formatSeconds(0)).toBe('0s');
    expect(formatSeconds(59.9)).toBe('59s');
    expect(formatSeconds(125)).toBe('2m');
    expect(formatSeconds(3 * 3600 + 5 * 60)).toBe('3h05m');
    expect(formatSeconds(2 * 86_400 + 4 * 3600)).toBe('2d04h');
    expect(formatAgo(10_000, 9_500)).toBe('just now');
    expect(formatAgo(100_000, 40_000)).toBe('1m ago');
  });
});

describe('formatCounts', () => {
  it('lists every status in a fixed order', () => {
    const text = formatCounts(
      { activable: 4, 'in-progress': 3, successful: 2, failed: 1 },
      createPalette(false),
    );
    expect(text).toBe('2 successful, 1 failed, 3 in progress, 4 activable');
  });
});

describe('describe-spec', () => {
  it('prints programs as a shell would read them', () => {
    expect(
      describeProgram({
        kind: 'and',
        programs: [
          { kind: 'sh', command: 'cd /x' },
          { kind: 'exec', argv: ['echo', "it's", 'a b', 'plain'] },
        ],
      }),
    ).toBe(`cd /x && echo 'it'\\''s' 'a b' plain`);
  });

  it('lists the paths of a volume condition', () => {
    const host = {
      name: '/tmp/KT',
      connection: { kind: 'localhost' as const },
      playground: '/tmp/KT',
      shell: ['sh', '-c'],
      timeout: null,
    };
    expect(
      describeCondition({
        kind: 'volume-exists',
        volume: {
          host,
          root: '/data/',
          structure: {
            kind: 'directory',
            name: 'out',
            children: [
              { kind: 'file', name: 'a.bam' },
              { kind: 'file', name: 'a.bai' },
            ],
          },
        },
      }),
    ).toBe('exists: /data/out/a.bam, /data/out/a.bai on /tmp/KT');
    expect(describeCondition(null)).toBe('none (run it; done when it succeeds)');
  });
});

describe('killed nodes', () => {
  it('do not repeat the reason when it says the same as the state', () => {
    expect(describeState({ kind: 'killed', reason: { kind: 'killed' }, fromPassive: false })).toBe(
      'killed',
    );
    expect(
      describeState({
        kind: 'finished',
        outcome: 'failed',
        from: 'killed',
        reason: { kind: 'killed' },
      }),
    ).toBe('killed');
    expect(
      describeHistoryState({
        kind: 'finished',
        outcome: 'failed',
        from: 'killed',
        reason: { kind: 'killed' },
      }),
    ).toBe('finished (failed)');
  });
});
