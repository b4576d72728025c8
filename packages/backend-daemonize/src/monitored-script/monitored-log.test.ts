import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeLogField, unescapeLogField } from './log-field.js';
import { parseMonitoredLog } from './monitored-log.js';

const T = '1732480000.123456';
const ms = 1732480000123;

describe('parseMonitoredLog', () => {
  it('is not-started on an empty log', () => {
    expect(parseMonitoredLog('')).toEqual({
      entries: [],
      summary: { kind: 'not-started' },
      startedAt: null,
      endedAt: null,
    });
  });

  it('reads a successful run', () => {
    const log = [
      `${T}\tstart`,
      `${T}\tbefore-cmd\tcmd-1\techo a\\tb\\nc \\\\n`,
      `${T}\tafter-cmd\tcmd-1\treturned\t0`,
      `1732480001.5\tsuccess`,
      '',
    ].join('\n');
    const parsed = parseMonitoredLog(log);
    expect(parsed.entries).toEqual([
      { kind: 'start', time: ms },
      { kind: 'before-cmd', time: ms, label: 'cmd-1', command: 'echo a\tb\nc \\n' },
      { kind: 'after-cmd', time: ms, label: 'cmd-1', code: 0 },
      { kind: 'success', time: 1732480001500 },
    ]);
    expect(parsed.summary).toEqual({ kind: 'succeeded' });
    expect(parsed.startedAt).toBe(ms);
    expect(parsed.endedAt).toBe(1732480001500);
  });

  it('reads a failure and names the failed command', () => {
    const log = [
      `${T}\tstart`,
      `${T}\tbefore-cmd\tcmd-1\ttrue`,
      `${T}\tafter-cmd\tcmd-1\treturned\t0`,
      `${T}\tbefore-cmd\tcmd-2\tmake all`,
      `${T}\tafter-cmd\tcmd-2\treturned\t2`,
      `${T}\tfailure\tcmd-2\treturned\t2`,
      '',
    ].join('\n');
    expect(parseMonitoredLog(log).summary).toEqual({
      kind: 'failed',
      label: 'cmd-2',
      code: 2,
      command: 'make all',
    });
  });

  it('reads a failure outside any command and a kill', () => {
    expect(parseMonitoredLog(`${T}\tstart\n${T}\tfailure\t-\treturned\t70\n`).summary).toEqual({
      kind: 'failed',
      label: null,
      code: 70,
      command: null,
    });
    expect(parseMonitoredLog(`${T}\tstart\n${T}\tkilled\tTERM\n`).summary).toEqual({
      kind: 'killed',
      signal: 'TERM',
    });
  });

  it('says which command is running', () => {
    const log = `${T}\tstart\n${T}\tbefore-cmd\tcmd-1\tsleep 10\n`;
    expect(parseMonitoredLog(log).summary).toEqual({
      kind: 'running',
      label: 'cmd-1',
      command: 'sleep 10',
    });
  });

  it('ignores a partially written last line', () => {
    const log = `${T}\tstart\n${T}\tbefore-cmd\tcmd-1\tsleep 10\n${T}\tafter-cmd\tcmd-1\tret`;
    const parsed = parseMonitoredLog(log);
    expect(parsed.entries).toHaveLength(2);
    expect(parsed.summary.kind).toBe('running');
    expect(parseMonitoredLog(`${T}\tsucc`).summary).toEqual({ kind: 'not-started' });
  });

  it('keeps lines it does not understand as unknown entries', () => {
    const log = `${T}\tstart\ngarbage\n${T}\tafter-cmd\tcmd-1\treturned\tx\n${T}\tfuture-thing\ta\n`;
    const parsed = parseMonitoredLog(log);
    expect(parsed.entries.map((e) => e.kind)).toEqual(['start', 'unknown', 'unknown', 'unknown']);
    expect(parsed.entries[1]).toEqual({ kind: 'unknown', time: null, line: 'garbage' });
    expect(parsed.summary.kind).toBe('running');
  });

  it('reads timestamps with a comma, without a fraction, or unreadable', () => {
    const parsed = parseMonitoredLog(`1732480000,25\tstart\n1732480001\tsuccess\n`);
    expect(parsed.startedAt).toBe(1732480000250);
    expect(parsed.endedAt).toBe(1732480001000);
    expect(parseMonitoredLog(`soon\tstart\n`).entries[0]).toEqual({ kind: 'start', time: null });
  });

  it('lets the first terminal line decide', () => {
    const log = `${T}\tstart\n${T}\tkilled\tTERM\n${T}\tfailure\tcmd-1\treturned\t143\n`;
    expect(parseMonitoredLog(log).summary).toEqual({ kind: 'killed', signal: 'TERM' });
  });
});

describe('log fields', () => {
  it('escape to one line without tabs and unescape back exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const field = escapeLogField(value);
        expect(field).not.toMatch(/[\t\n\r]/);
        expect(unescapeLogField(field)).toBe(value);
      }),
    );
    expect(escapeLogField('a\\tb\tc')).toBe('a\\\\tb\\tc');
  });
});
