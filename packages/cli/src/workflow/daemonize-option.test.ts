import { describe, expect, it } from 'vitest';
import { splitDaemonizeOption } from './daemonize-option.js';

describe('splitDaemonizeOption', () => {
  it('splits at the first comma, keeping commas of the command', () => {
    expect(splitDaemonizeOption('/tmp/KT,du -sh $HOME')).toEqual({
      host: '/tmp/KT',
      command: 'du -sh $HOME',
    });
    expect(splitDaemonizeOption('/tmp/KT,echo a,b')).toEqual({
      host: '/tmp/KT',
      command: 'echo a,b',
    });
  });

  it("keeps an SSH URI's shell list in the host", () => {
    expect(splitDaemonizeOption('ssh://me@h/kt?shell=bash,-l,-c,make all')).toEqual({
      host: 'ssh://me@h/kt?shell=bash,-l,-c',
      command: 'make all',
    });
  });

  it('refuses a missing host or command', () => {
    expect(() => splitDaemonizeOption('du -sh')).toThrow(/HOST,COMMAND/);
    expect(() => splitDaemonizeOption(',du')).toThrow(/HOST,COMMAND/);
    expect(() => splitDaemonizeOption('/tmp/KT,  ')).toThrow(/command after the comma is empty/);
  });
});
