import { describe, expect, it } from 'vitest';
import { endedRunStatus } from './ended-run-status.js';

const T = '1732480000.1';
const log = (...lines: string[]) => lines.map((l) => `${T}\t${l}\n`).join('');

describe('endedRunStatus (the failure classification of docs/daemonize.md)', () => {
  it('succeeded on a success record', () => {
    expect(endedRunStatus(log('start', 'success'), '/pg', true)).toEqual({ kind: 'succeeded' });
  });

  it('non-zero-exit with the code and the command on a failure record', () => {
    const text = log('start', 'before-cmd\tcmd-1\tmake\\tall', 'failure\tcmd-1\treturned\t2');
    expect(endedRunStatus(text, '/pg', true)).toEqual({
      kind: 'failed',
      reason: { kind: 'non-zero-exit', code: 2, command: 'make\tall' },
    });
    expect(endedRunStatus(log('start', 'failure\t-\treturned\t70'), '/pg', true)).toMatchObject({
      reason: { code: 70, command: 'the monitored script itself' },
    });
  });

  it('cuts very long commands in the reason', () => {
    const long = 'x'.repeat(10_000);
    const status = endedRunStatus(
      log('start', `before-cmd\tcmd-1\t${long}`, 'failure\tcmd-1\treturned\t1'),
      '/pg',
      true,
    );
    const command =
      status.kind === 'failed' && status.reason.kind === 'non-zero-exit'
        ? status.reason.command
        : '';
    expect(command).toBe(`${'x'.repeat(500)}…`);
  });

  it('killed on a trapped signal', () => {
    expect(endedRunStatus(log('start', 'killed\tINT'), '/pg', true)).toEqual({
      kind: 'failed',
      reason: { kind: 'killed', message: 'the job received SIGINT' },
    });
  });

  it('lost when the log stops without a terminal record, or is missing', () => {
    expect(endedRunStatus(log('start', 'before-cmd\tcmd-1\tsleep 9'), '/pg', true)).toMatchObject({
      kind: 'lost',
      message: expect.stringMatching(/running cmd-1: sleep 9/),
    });
    expect(endedRunStatus('', '/pg', true)).toMatchObject({ kind: 'lost' });
    expect(endedRunStatus(null, '/pg', true)).toMatchObject({ kind: 'lost' });
    expect(endedRunStatus(null, '/pg', false)).toEqual({
      kind: 'lost',
      message: 'the playground /pg disappeared',
    });
  });
});
