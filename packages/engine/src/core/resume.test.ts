import { describe, expect, it } from 'vitest';
import { resume } from './resume.js';
import type { NodeState } from './node-state.js';
import { CONDITION, DAEMONIZE, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const RUN = { pid: 7 };
const nodeSpec = spec({
  id: 'n',
  condition: CONDITION,
  make: DAEMONIZE,
  dependsOn: ['a'],
  timeout: 60,
});
const evaluate = { kind: 'evaluate-condition', condition: CONDITION };

describe('resume', () => {
  it.each<[NodeState, unknown[]]>([
    [{ kind: 'passive' }, []],
    [{ kind: 'active', by: { kind: 'user' } }, [evaluate]],
    [
      { kind: 'building' },
      [{ kind: 'activate', ids: ['a'], by: { kind: 'dependency-of', id: 'n' } }],
    ],
    [
      { kind: 'starting', jobName: 'ketrew-n-a2' },
      [{ kind: 'start', jobName: 'ketrew-n-a2', findFirst: true }],
    ],
    [
      { kind: 'running', jobName: 'j', run: RUN, since: T0 },
      [{ kind: 'watch' }, { kind: 'wake-up', at: T0 + 60_000, reason: 'timeout', attempt: 2 }],
    ],
    [{ kind: 'ran-successfully', jobName: 'j', run: RUN }, [evaluate]],
    [{ kind: 'did-nothing' }, [evaluate]],
    [
      { kind: 'killing', jobName: 'j', run: null, reason: { kind: 'killed' } },
      [{ kind: 'kill', jobName: 'j', run: null }],
    ],
    [
      {
        kind: 'did-not-ensure-condition',
        reason: { kind: 'condition-not-ensured' },
        nextAttemptAt: T0 + 9,
      },
      [{ kind: 'wake-up', at: T0 + 9, reason: 'next-attempt', attempt: 2 }],
    ],
    [
      {
        kind: 'killed',
        reason: { kind: 'timeout', seconds: 60 },
        fromPassive: false,
        nextAttemptAt: T0 + 9,
      },
      [{ kind: 'wake-up', at: T0 + 9, reason: 'next-attempt', attempt: 2 }],
    ],
    [{ kind: 'finished', outcome: 'failed', from: 'killed' }, []],
  ])('%j → %j', (state, commands) => {
    expect(resume(nodeIn(nodeSpec, state, { attempt: 2 }))).toEqual(commands);
  });

  it('an active node without a condition (or merged) activates what it waits for', () => {
    const merged = nodeIn(
      nodeSpec,
      { kind: 'active', by: { kind: 'user' } },
      { equivalentTo: 'old' },
    );
    expect(resume(merged)).toEqual([
      { kind: 'activate', ids: ['a', 'old'], by: { kind: 'dependency-of', id: 'n' } },
    ]);
  });

  it('a running node without a timeout is only watched', () => {
    const plain = nodeIn(spec({ id: 'n', make: DAEMONIZE }), {
      kind: 'running',
      jobName: 'j',
      run: RUN,
      since: T0,
    });
    expect(resume(plain)).toEqual([{ kind: 'watch' }]);
  });
});
